using Router.Cluster.Tests.Infrastructure;
using Router.OllamaSimulator;
using Router.Testing;

namespace Router.Cluster.Tests;

/// <summary>
/// Resuming an answer of <c>/complete</c> through another web front than the one it began on: two
/// silos and two web fronts as processes on Redis. The second web front does not know which silo
/// owns the answer; it asks the silos.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ResumeClusterTests(ClusterServices services, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_answer_dropped_on_one_web_front_is_resumed_on_the_other_with_every_event_once_in_order()
    {
        await using var cluster = await LocalCluster.StartAsync(services, silos: 2, webFronts: 2);
        var (first, second) = (cluster.WebFronts[0], cluster.WebFronts[1]);
        var user = "resume-" + cluster.ClusterId;

        // The client leaves web front 1 (which stays up and detaches the answer) and comes back on web front 2.
        await ResumeElsewhereAsync(first, second, user, killFirst: false);

        // Web front 1 is killed mid-answer: nobody tells the owner anything, web front 2 resumes it.
        await ResumeElsewhereAsync(first, second, user, killFirst: true);

        // Another user, on either web front, is told there is no such answer.
        var (requestId, _) = await WholeAnswerAsync(second, user);
        using var stranger = await second.Http.SendAsync(CompleteStream.ResumeRequest(requestId, -1, "someone-else"));
        Assert.Equal(404, (int)stranger.StatusCode);
        Assert.Equal("application/problem+json", stranger.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"stream_not_found\"", await stranger.Content.ReadAsStringAsync());
    }

    private async Task ResumeElsewhereAsync(WebFrontProcess first, WebFrontProcess second, string user, bool killFirst)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var seen = new List<SseEvent>();
        string requestId;
        await using (var sse = await CompleteStream.PostAsync(first.Http, $"resume elsewhere {nonce} [[sim:tokens=60,tps=20,hold={nonce},holdafter=3]]", user, new CancellationTokenSource(Timeout).Token))
        {
            requestId = sse.RequestId;
            // Tokens close together may share an event: read until the 3 held-back tokens' text is here.
            while (string.Concat(seen.Select(e => e.Message)) != SimulatedText.Text(3)) seen.Add((await sse.NextAsync())!);
            if (killFirst) first.Process.Signal(Signals.SigKill);
        }

        // The backend holds the answer after 3 tokens until the resume is open: it is resumed mid-answer.
        await services.Simulator.Holds.WaitUntilHeldAsync(nonce, Timeout);
        await using var resumed = await CompleteStream.ResumeAsync(second.Http, requestId, seen[^1].Id, user, new CancellationTokenSource(Timeout).Token);
        Assert.True((int)resumed.Response.StatusCode == 200, $"resume on the other web front (first {(killFirst ? "killed" : "up")}): {(int)resumed.Response.StatusCode}");
        Assert.Equal(requestId, resumed.RequestId);
        services.Simulator.Holds.Release(nonce);
        var all = seen.Concat(await resumed.ReadToEndAsync()).ToList();

        output.WriteLine($"first web front {(killFirst ? "killed" : "up")}: {seen.Count} events there, {all.Count - seen.Count} resumed on the other, ended with {all[^1].Data}");
        Assert.Equal(Enumerable.Range(0, all.Count), all.Select(e => e.Id ?? -1));
        Assert.True(all[^1].IsDone, $"the resumed answer ended with {all[^1].Data}");
        Assert.Equal(SimulatedText.Text(60), string.Concat(all.Where(e => !e.IsDone).Select(e => e.Message)));
        var simulated = await services.Simulator.Journal.WaitForMessageAsync(nonce, Timeout);
        Assert.Equal(SimulatedOutcome.Completed, simulated.Outcome);
    }

    private static async Task<(string RequestId, List<SseEvent> Events)> WholeAnswerAsync(WebFrontProcess front, string user)
    {
        await using var sse = await CompleteStream.PostAsync(front.Http, $"whole {Guid.NewGuid():N} [[sim:ttft=0,tokens=3]]", user, new CancellationTokenSource(Timeout).Token);
        var events = await sse.ReadToEndAsync();
        Assert.True(events[^1].IsDone, $"the answer ended with {events[^1].Data}");
        return (sse.RequestId, events);
    }
}
