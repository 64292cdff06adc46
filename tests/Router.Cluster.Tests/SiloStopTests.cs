using System.Net.Http.Json;
using System.Text.Json;
using Router.Cluster.Tests.Infrastructure;

namespace Router.Cluster.Tests;

/// <summary>
/// Graceful stops under load: a silo asked to stop (SIGTERM) drains its generations and leaves the
/// cluster; a web front asked to stop refuses new requests and finishes or ends its open streams.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SiloStopTests(ClusterServices services, ITestOutputHelper output)
{
    private const int Users = 100;

    private static readonly Dictionary<string, string> WebFrontSettings = new()
    {
        ["WebFront:SiloWatchPeriod"] = "00:00:01",
        ["WebFront:DrainTime"] = "00:00:10",
    };

    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Stopped_silo_finishes_its_streams_and_no_request_fails()
    {
        await using var cluster = await LocalCluster.StartAsync(services, silos: 3, webFronts: 2, webFrontSettings: WebFrontSettings);
        await using var observer = await ClusterObserver.ConnectAsync(services.Redis.ConnectionString, cluster.ClusterId);
        var run = new ClusterRun(cluster, observer);
        var figures = new Figures("SIGTERM of one of three silos, 100 streaming users", output);
        var users = Enumerable.Range(0, Users).Select(i => $"term-{cluster.ClusterId}-{i:D3}").ToArray();
        string FirstTurn(string user) => $"first turn of {user} [[sim:ttft=0,tokens=3]]";

        var before = await run.RoundAsync(users, FirstTurn, TimeSpan.FromSeconds(60));
        Assert.True(before.All(r => r.End == StreamEnd.Done), "phase 1 (state before the stop): " + StreamDriver.Summarize(before));

        // 100 tokens at 20/s: 5 s answers, well inside the silo's 30 s drain time.
        var streams = await run.OpenStreamsAsync(users, "a long answer [[sim:tokens=100,tps=20]]", TimeSpan.FromSeconds(90));
        var victim = cluster.Silos[1];
        var stoppedAt = run.Epoch.Elapsed;
        victim.Signal(Signals.SigTerm);

        var exited = victim.WaitForExitAsync(TimeSpan.FromSeconds(90));
        var probing = run.ProbeAsync(users, TimeSpan.FromMilliseconds(250), exited.ContinueWith(_ => Task.Delay(TimeSpan.FromSeconds(3))).Unwrap());
        var results = await Task.WhenAll(streams);
        Assert.True(await exited, "phase 2: the stopped silo did not exit within 90 s");
        var exitedAfter = run.Epoch.Elapsed - stoppedAt;
        var probes = await probing;
        var failedProbes = probes.Where(p => p.End != StreamEnd.Done).ToList();

        figures.Add("stopped silo exited after", $"{exitedAfter.TotalSeconds:0.0} s (exit code {victim.ExitCode})");
        figures.Add("open streams by ending", StreamDriver.Summarize(results));
        figures.Add("requests started during the stop", $"{probes.Length}, failed {failedProbes.Count}: {StreamDriver.Summarize(failedProbes)}");
        foreach (var failed in failedProbes)
        {
            figures.Add($"  failed request started {(failed.StartedAt - stoppedAt).TotalSeconds:0.0} s after SIGTERM", failed.Detail ?? failed.End.ToString());
        }
        Assert.True(results.All(r => r.End == StreamEnd.Done), "phase 2 (streams across the stop): " + StreamDriver.Summarize(results));
        Assert.True(failedProbes.Count == 0, "phase 2 (requests during the stop): " + StreamDriver.Summarize(failedProbes));

        var missing = await run.UsersMissingStateAsync(users, FirstTurn);
        figures.Add("users whose session state was missing after the stop", missing.Count);
        Assert.True(missing.Count == 0, "phase 3 (session state): missing for " + string.Join(", ", missing.Take(10)));

        await StopWebFrontAsync(services.Simulator, cluster, run, users, figures);
        figures.Save();
    }

    /// <summary>
    /// SIGTERM to a web front with short and long streams open (drain time 10 s): requests sent during the
    /// drain (on the shared client's connections, on a new connection, on two surfaces) get 503
    /// <c>shutting_down</c> and <c>/health</c> answers 503; the short streams (which the backend holds until
    /// those checks are done) end with done, the long ones (held for good) with a <c>shutting_down</c>
    /// error; and it exits.
    /// </summary>
    private static async Task StopWebFrontAsync(OllamaSimulator.OllamaSimulator simulator, LocalCluster cluster, ClusterRun run, string[] users, Figures figures)
    {
        var front = cluster.WebFronts[1];
        var shortHold = $"short-{cluster.ClusterId}";
        var shortStreams = await run.OpenStreamsAsync(users[..10], $"short [[sim:tokens=5,hold={shortHold},holdafter=1]]", TimeSpan.FromSeconds(60), webFront: 1);
        var longStreams = await run.OpenStreamsAsync(users[10..20], $"long [[sim:tokens=5,hold=never-{cluster.ClusterId},holdafter=1]]", TimeSpan.FromSeconds(60), webFront: 1);
        var stoppedAt = run.Epoch.Elapsed;
        front.Process.Signal(Signals.SigTerm);

        // During the drain: the short streams are held by the simulator until the checks below are done, so
        // the drain is still open while they run. New requests, through the shared client and on a connection
        // of their own, must reach the router and get the documented 503 in their surface's error shape.
        await front.Process.WaitForLineAsync("Stopping: refusing new requests", TimeSpan.FromSeconds(30));
        Assert.False(front.Process.HasExited, "web front stop: the process exited before the drain could be checked");
        var shared = await DrainAnswerAsync(front.Http, users[0], "/complete");
        using var fresh = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = front.BaseUrl };
        var newConnection = await DrainAnswerAsync(fresh, users[1], "/complete");
        var openAi = await DrainAnswerAsync(fresh, users[2], "/v1/chat/completions");
        using var health = await GetWithinAsync(fresh, "/health", "web front stop: /health during the drain");
        var refusedDuringDrain = run.Epoch.Elapsed - stoppedAt;
        simulator.Holds.Release(shortHold);
        var shortResults = await Task.WhenAll(shortStreams);
        var longResults = await Task.WhenAll(longStreams);
        var exited = await front.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var exitedAfter = run.Epoch.Elapsed - stoppedAt;
        var other = await StreamDriver.RunAsync(cluster.WebFronts[0], 0, users[0], "on the other front [[sim:tokens=3]]", run.Epoch, TimeSpan.FromSeconds(30));

        figures.Add($"web front SIGTERM, drain {DrainTime.TotalSeconds:0} s: requests during the drain",
            $"shared client /complete {shared}, new connection /complete {newConnection}, /v1/chat/completions {openAi}, /health {(int)health.StatusCode}; {refusedDuringDrain.TotalSeconds:0.0} s after SIGTERM");
        figures.Add($"web front SIGTERM, drain {DrainTime.TotalSeconds:0} s: streams released during the drain", StreamDriver.Summarize(shortResults));
        figures.Add($"web front SIGTERM, drain {DrainTime.TotalSeconds:0} s: streams longer than the drain", $"{StreamDriver.Summarize(longResults)}, ended {longResults.Max(r => r.EndedAt - stoppedAt).TotalSeconds:0.0} s after SIGTERM");
        figures.Add("web front exited after", $"{exitedAfter.TotalSeconds:0.0} s; to the other front: {other.End}");

        Assert.Equal("503 shutting_down", shared);
        Assert.Equal("503 shutting_down", newConnection);
        Assert.Equal("503 shutting_down", openAi);
        Assert.Equal(503, (int)health.StatusCode);
        Assert.True(shortResults.All(r => r.End == StreamEnd.Done), "web front stop: short streams " + StreamDriver.Summarize(shortResults));
        Assert.True(longResults.All(r => r.End == StreamEnd.Error && r.ErrorCode == "shutting_down"), "web front stop: long streams " + StreamDriver.Summarize(longResults));
        Assert.True(exited, "web front stop: the process did not exit within 30 s");
        Assert.Equal(StreamEnd.Done, other.End);
    }

    /// <summary>
    /// A request sent during the drain, answered as "status code": the code from the surface's error shape
    /// (problem+json's <c>code</c> on <c>/complete</c>, <c>error.code</c> on OpenAI's surface).
    /// </summary>
    private static async Task<string> DrainAnswerAsync(HttpClient http, string user, string path)
    {
        object body = path == "/complete"
            ? new { message = "during the drain [[sim:tokens=3]]" }
            : new { model = "auto", stream = true, messages = new[] { new { role = "user", content = "during the drain [[sim:tokens=3]]" } } };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("X-User-Id", user);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await http.SendAsync(request, cts.Token);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
        var code = path == "/complete" ? json.GetProperty("code") : json.GetProperty("error").GetProperty("code");
        return $"{(int)response.StatusCode} {code.GetString()}";
    }

    private static async Task<HttpResponseMessage> GetWithinAsync(HttpClient http, string path, string phase)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await http.GetAsync(path, cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{phase}: no answer within 30 s");
        }
    }
}
