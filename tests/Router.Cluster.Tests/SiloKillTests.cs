using Router.Cluster.Tests.Infrastructure;

namespace Router.Cluster.Tests;

/// <summary>
/// Three silos, two web fronts, Redis membership and state; 100 users stream through either web
/// front and one silo is killed with SIGKILL mid-way.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SiloKillTests(ClusterServices services, ITestOutputHelper output)
{
    private const int Users = 100;

    /// <summary>The bound this test asserts: every open stream has ended this long after the kill.</summary>
    private static readonly TimeSpan EndBound = TimeSpan.FromSeconds(20);

    private static readonly Dictionary<string, string> WebFrontSettings = new()
    {
        ["WebFront:SiloWatchPeriod"] = "00:00:01",
        ["WebFront:SiloLossGrace"] = "00:00:05",
    };

    /// <summary>The lanes' subscriptions in Redis: they outlive the killed silo.</summary>
    private static readonly Dictionary<string, string> SiloSettings = new()
    {
        ["Streaming:DurablePubSub"] = "true",
    };

    /// <summary>How often a new request is started while the kill is being detected: a sample of about a hundred.</summary>
    private static readonly TimeSpan ProbePeriod = TimeSpan.FromMilliseconds(60);

    [Fact]
    public async Task Killed_silo_ends_every_open_stream_and_loses_no_session()
    {
        await using var cluster = await LocalCluster.StartAsync(services, silos: 3, webFronts: 2, siloSettings: SiloSettings, webFrontSettings: WebFrontSettings);
        await using var observer = await ClusterObserver.ConnectAsync(services.Redis.ConnectionString, cluster.ClusterId);
        var run = new ClusterRun(cluster, observer);
        var figures = new Figures("SIGKILL of one of three silos, 100 streaming users", output);
        var users = Enumerable.Range(0, Users).Select(i => $"kill-{cluster.ClusterId}-{i:D3}").ToArray();
        string FirstTurn(string user) => $"first turn of {user} [[sim:ttft=0,tokens=3]]";

        figures.Add("session placement of 1,000 users (activations per silo)", await run.PlacementAsync(1000, "placement-" + cluster.ClusterId));

        var before = await run.RoundAsync(users, FirstTurn, TimeSpan.FromSeconds(60));
        Assert.True(before.All(r => r.End == StreamEnd.Done), "phase 1 (state before the kill): " + StreamDriver.Summarize(before));

        // 200 tokens at 20/s: each answer runs 10 s, so every stream is open when the silo dies.
        var streams = await run.OpenStreamsAsync(users, "a long answer [[sim:tokens=200,tps=20]]", TimeSpan.FromSeconds(90));
        var victim = cluster.Silos[1];
        var killedAt = run.Epoch.Elapsed;
        victim.Signal(Signals.SigKill);

        var detected = run.WaitForDeadAsync(ClusterRun.SiloPort(victim), TimeSpan.FromSeconds(60));
        var probing = run.ProbeAsync(users, ProbePeriod, detected.ContinueWith(_ => Task.Delay(TimeSpan.FromSeconds(3))).Unwrap());
        var results = await Task.WhenAll(streams);
        var detectedAt = await detected;
        var probes = await probing;

        var afterKill = results.Where(r => r.End != StreamEnd.Done).Select(r => r.EndedAt - killedAt).DefaultIfEmpty().Max();
        var failedProbes = probes.Where(p => p.End != StreamEnd.Done).ToList();
        figures.Add("membership marked the killed silo dead after", $"{(detectedAt - killedAt).TotalSeconds:0.0} s");
        figures.Add("open streams by ending", StreamDriver.Summarize(results));
        foreach (var group in results.Where(r => r.End != StreamEnd.Done).GroupBy(r => r.Detail))
        {
            figures.Add($"  ended by \"{group.Key}\"", $"{group.Count()}, after the kill {group.Min(r => r.EndedAt - killedAt).TotalSeconds:0.0}-{group.Max(r => r.EndedAt - killedAt).TotalSeconds:0.0} s");
        }

        figures.Add("last non-done stream ended after the kill", $"{afterKill.TotalSeconds:0.0} s (bound asserted: {EndBound.TotalSeconds:0} s)");
        figures.Add("requests started after the kill", $"{probes.Length}, failed {failedProbes.Count}: {StreamDriver.Summarize(failedProbes)}");
        figures.Add("requests started after the kill that succeeded", $"{100.0 * (probes.Length - failedProbes.Count) / Math.Max(1, probes.Length):0.0} %");
        foreach (var group in failedProbes.GroupBy(p => p.Detail))
        {
            figures.Add($"  failed by \"{group.Key}\"", $"{group.Count()}, started after the kill {group.Min(p => p.StartedAt - killedAt).TotalSeconds:0.0}-{group.Max(p => p.StartedAt - killedAt).TotalSeconds:0.0} s");
        }
        figures.Add("last failed request was started after the kill", failedProbes.Count == 0 ? "none failed" : $"{(failedProbes.Max(p => p.StartedAt) - killedAt).TotalSeconds:0.0} s");

        Assert.True(results.All(r => r.End is StreamEnd.Done or StreamEnd.Error), "phase 2 (streams across the kill): " + StreamDriver.Summarize(results));
        Assert.True(afterKill <= EndBound, $"phase 2: a stream ended {afterKill.TotalSeconds:0.0} s after the kill (bound {EndBound.TotalSeconds:0} s)");

        var after = await run.RoundAsync(users, u => $"after the kill, {u} [[sim:ttft=0,tokens=3]]", TimeSpan.FromSeconds(60));
        figures.Add("requests after membership caught up", StreamDriver.Summarize(after));
        Assert.True(after.All(r => r.End == StreamEnd.Done), "phase 3 (requests after membership caught up): " + StreamDriver.Summarize(after));

        var missing = await run.UsersMissingStateAsync(users, FirstTurn);
        figures.Add("users whose pre-kill session state was missing", missing.Count);
        figures.Save();
        Assert.True(missing.Count == 0, "phase 4 (session state written before the kill): missing for " + string.Join(", ", missing.Take(10)));
    }
}
