using Router.Cluster.Tests.Infrastructure;

namespace Router.Cluster.Tests;

/// <summary>
/// Redis (membership and grain state) killed with SIGKILL under load and started again on the same
/// port with its append-only file. Measured: what open streams and new requests see during the
/// outage, how soon requests succeed again, and that no session state committed before is lost.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class RedisRestartTests(ClusterServices services, ITestOutputHelper output)
{
    private const int Users = 50;

    /// <summary>How long Redis stays down.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Redis_restart_under_load_loses_no_committed_session_state()
    {
        await using var cluster = await LocalCluster.StartAsync(services, silos: 3, webFronts: 2);
        await using var observer = await ClusterObserver.ConnectAsync(services.Redis.ConnectionString, cluster.ClusterId);
        var run = new ClusterRun(cluster, observer);
        var figures = new Figures($"Redis SIGKILL and restart after {Outage.TotalSeconds:0} s, 50 streaming users", output);
        var users = Enumerable.Range(0, Users).Select(i => $"redis-{cluster.ClusterId}-{i:D3}").ToArray();
        string FirstTurn(string user) => $"first turn of {user} [[sim:ttft=0,tokens=3]]";

        var before = await run.RoundAsync(users, FirstTurn, TimeSpan.FromSeconds(60));
        Assert.True(before.All(r => r.End == StreamEnd.Done), "phase 1 (state before the outage): " + StreamDriver.Summarize(before));

        var streams = await run.OpenStreamsAsync(users, "a long answer [[sim:tokens=100,tps=20]]", TimeSpan.FromSeconds(90));
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probing = run.ProbeAsync(users, TimeSpan.FromMilliseconds(250), restarted.Task.ContinueWith(_ => Task.Delay(TimeSpan.FromSeconds(10))).Unwrap());
        var killedAt = run.Epoch.Elapsed;
        await services.Redis.KillAsync();
        await Task.Delay(Outage); // the outage itself: Redis stays down this long
        await services.Redis.RestartAsync();
        var restartedAt = run.Epoch.Elapsed;
        restarted.SetResult();

        var results = await Task.WhenAll(streams);
        var probes = await probing;
        var failed = probes.Where(p => p.End != StreamEnd.Done).ToList();
        var lastFailure = failed.Count == 0 ? "none failed" : $"{(failed.Max(p => p.StartedAt) - killedAt).TotalSeconds:0.0} s after the kill (Redis back {(restartedAt - killedAt).TotalSeconds:0.0} s after the kill)";
        figures.Add("streams open across the outage", StreamDriver.Summarize(results));
        figures.Add("requests started during and after the outage", $"{probes.Length}, failed {failed.Count}: {StreamDriver.Summarize(failed)}");
        figures.Add("requests started while Redis was down", StreamDriver.Summarize(probes.Where(p => p.StartedAt >= killedAt && p.StartedAt < restartedAt)));
        figures.Add("last failed request started", lastFailure);
        Assert.True(results.All(r => r.End is StreamEnd.Done or StreamEnd.Error), "phase 2 (streams across the outage): " + StreamDriver.Summarize(results));
        Assert.True(probes.All(p => p.End is StreamEnd.Done or StreamEnd.Error or StreamEnd.Refused), "phase 2 (requests during the outage): " + StreamDriver.Summarize(probes));

        var after = await run.RoundAsync(users, u => $"after the restart, {u} [[sim:ttft=0,tokens=3]]", TimeSpan.FromSeconds(60));
        figures.Add("requests after the restart", StreamDriver.Summarize(after));
        Assert.True(after.All(r => r.End == StreamEnd.Done), "phase 3 (requests after the restart): " + StreamDriver.Summarize(after));

        var missing = await run.UsersMissingStateAsync(users, FirstTurn);
        figures.Add("users whose pre-outage session state was missing", missing.Count);
        figures.Save();
        Assert.True(missing.Count == 0, "phase 4 (session state committed before the outage): missing for " + string.Join(", ", missing.Take(10)));
    }
}
