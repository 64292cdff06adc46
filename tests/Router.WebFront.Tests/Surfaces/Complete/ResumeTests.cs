using Router.Grains.Interfaces;
using Router.OllamaSimulator;
using Router.Testing;

namespace Router.WebFront.Tests.Surfaces.Complete;

/// <summary>
/// Resuming answers of <c>/complete</c> with <c>Last-Event-ID</c>: a real web front with a co-hosted
/// silo, the simulator over real HTTP, the default fixture's grace (10 s) and the router's default window
/// (2 min) after an answer's end. (Resuming through another web front is in the cluster tests; a grace
/// and a window that run out are in <see cref="ResumeExpiryTests"/>.)
/// </summary>
[Collection(RouterCollection.Name)]
public sealed class ResumeTests(RouterFixture fixture)
{
    [Fact]
    public async Task A_client_that_leaves_and_resumes_within_the_grace_finds_it_running_and_gets_every_event_once_in_order()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var first = new List<SseEvent>();
        string requestId;

        // The backend holds the answer after 3 tokens until the resume is open, so it is running when the
        // client comes back, however slow the machine. Tokens close together may share an event, so the
        // client reads until it has the 3 tokens' text, not 3 events.
        await using (var sse = await CompleteStream.PostAsync(fixture.Http, $"resume {nonce} [[sim:tokens=40,tps=20,hold={nonce},holdafter=3]]", "resume-alice", Timeouts.Token()))
        {
            requestId = sse.RequestId;
            while (string.Concat(first.Select(e => e.Message)) != SimulatedText.Text(3)) first.Add((await sse.NextAsync())!);
        }

        await fixture.Simulator.Holds.WaitUntilHeldAsync(nonce, Timeouts.Event);
        await using var resumed = await CompleteStream.ResumeAsync(fixture.Http, requestId, first[^1].Id, "resume-alice", Timeouts.Token());
        Assert.Equal(200, (int)resumed.Response.StatusCode);
        Assert.Equal("text/event-stream", resumed.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(requestId, resumed.RequestId);
        Assert.Equal("llama3.2", resumed.Response.Headers.GetValues("x-router-model").Single());
        var running = Assert.Single(fixture.Simulator.Journal.Requests, r => r.LastUserMessage?.Contains(nonce) == true);
        Assert.False(running.IsTerminal, $"the generation should still be running when the resume opens, it ended {running.Outcome}");
        Assert.Equal(3, running.TokensSent);
        Assert.All(first, e => Assert.False(e.IsDone || e.IsError, $"the first part of the answer held {e.Data}"));

        fixture.Simulator.Holds.Release(nonce);
        var rest = await resumed.ReadToEndAsync();

        var all = first.Concat(rest).ToList();
        Assert.Equal(Enumerable.Range(0, all.Count), all.Select(e => e.Id ?? -1));
        Assert.True(all[^1].IsDone, $"the resumed answer ended with {all[^1].Data}");
        Assert.Equal(requestId, all[^1].Data.GetProperty("request_id").GetString());
        Assert.Equal(SimulatedText.Text(40), string.Concat(all.Where(e => !e.IsDone).Select(e => e.Message)));
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.Completed, simulated.Outcome);
    }

    [Fact]
    public async Task Another_users_resume_is_a_404_and_the_owner_can_still_resume()
    {
        var (requestId, events) = await CompleteAsync("resume-carol", "[[sim:tokens=5]]");

        using (var stranger = await fixture.Http.SendAsync(CompleteStream.ResumeRequest(requestId, -1, "resume-mallory")))
        {
            await ProblemAssert.IsProblemAsync(stranger, 404, "stream_not_found");
        }

        await using var owner = await CompleteStream.ResumeAsync(fixture.Http, requestId, null, "resume-carol", Timeouts.Token());
        Assert.Equal(200, (int)owner.Response.StatusCode);
        var replay = await owner.ReadToEndAsync();
        Assert.Equal(events.Select(e => (e.Id, e.Message)), replay.Select(e => (e.Id, e.Message)));
        Assert.True(replay[^1].IsDone);
    }

    [Theory]
    [InlineData("8d1c1b8e-55a4-4b8e-9d0f-3f2b7c1e4a10")]
    [InlineData("not-a-request-id")]
    public async Task An_unknown_id_is_a_404(string requestId)
    {
        using var response = await fixture.Http.SendAsync(CompleteStream.ResumeRequest(requestId, 3, "resume-dave"));
        await ProblemAssert.IsProblemAsync(response, 404, "stream_not_found");
    }

    [Fact]
    public async Task A_last_event_id_that_is_not_a_number_is_a_400()
    {
        var (requestId, _) = await CompleteAsync("resume-erin", "[[sim:tokens=2]]");
        using var request = CompleteStream.ResumeRequest(requestId, null, "resume-erin");
        request.Headers.TryAddWithoutValidation("Last-Event-ID", "seven");
        using var response = await fixture.Http.SendAsync(request);
        await ProblemAssert.IsProblemAsync(response, 400, "invalid_last_event_id");
    }

    /// <summary>A whole answer of <c>/complete</c>, checked to end with done and to number its events from 0.</summary>
    internal static async Task<(string RequestId, List<SseEvent> Events)> CompleteAsync(HttpClient http, string user, string directive)
    {
        await using var sse = await CompleteStream.PostAsync(http, $"whole {Guid.NewGuid():N} {directive}", user, Timeouts.Token());
        var events = await sse.ReadToEndAsync();
        Assert.True(events[^1].IsDone, $"the answer ended with {events[^1].Data}");
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Id ?? -1));
        return (sse.RequestId, events);
    }

    private Task<(string RequestId, List<SseEvent> Events)> CompleteAsync(string user, string directive) => CompleteAsync(fixture.Http, user, directive);
}

/// <summary>A grace (1 s) and a window (5 s) that run out: the short-timeouts fixture.</summary>
[Collection(ShortTimeoutsRouterCollection.Name)]
public sealed class ResumeExpiryTests(ShortTimeoutsRouterFixture fixture)
{
    [Fact]
    public async Task A_client_that_leaves_and_does_not_come_back_is_stopped_at_the_backend_and_what_was_generated_stays_resumable()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var seen = new List<SseEvent>();
        string requestId;
        await using (var sse = await CompleteStream.PostAsync(fixture.Http, $"abandon {nonce} [[sim:tokens=2000,tps=20]]", "resume-bob", Timeouts.Token()))
        {
            requestId = sse.RequestId;
            for (var i = 0; i < 2; i++) seen.Add((await sse.NextAsync())!);
        }

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, simulated.Outcome);
        Assert.True(simulated.TokensSent < 2000, $"the simulator sent all {simulated.TokensSent} tokens");
        var seenText = string.Concat(seen.Select(e => e.Message));
        Assert.True(simulated.Text.Length > seenText.Length, "the generation should have gone on after the client left");

        // Within the window, the rest of what was generated, then the error that says why it stopped.
        await using var resumed = await CompleteStream.ResumeAsync(fixture.Http, requestId, seen[^1].Id, "resume-bob", Timeouts.Token());
        Assert.Equal(200, (int)resumed.Response.StatusCode);
        var rest = await resumed.ReadToEndAsync();
        Assert.Equal(Enumerable.Range(seen.Count, rest.Count), rest.Select(e => e.Id ?? -1));
        Assert.True(rest[^1].IsError, $"the resumed answer ended with {rest[^1].Data}");
        Assert.Equal("cancelled", rest[^1].ErrorCode);
        var text = seenText + string.Concat(rest.Where(e => !e.IsError).Select(e => e.Message));
        Assert.True(text.Length > seenText.Length, "the resume should carry what was generated after the client left");
        Assert.StartsWith(text, simulated.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_its_window_an_answer_is_a_404()
    {
        var (requestId, events) = await CompleteAsync("resume-frank", "[[sim:tokens=3]]");

        // Right after the end it is there (the window is 5 s) …
        await using (var early = await CompleteStream.ResumeAsync(fixture.Http, requestId, events[0].Id, "resume-frank", Timeouts.Token()))
        {
            Assert.Equal(200, (int)early.Response.StatusCode);
            Assert.Equal(events.Skip(1).Select(e => e.Id), (await early.ReadToEndAsync()).Select(e => e.Id));
        }

        // … and then it expires: asked on a short period until the answer is a 404.
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        using var deadline = new CancellationTokenSource(Timeouts.Event);
        while (true)
        {
            using var response = await fixture.Http.SendAsync(CompleteStream.ResumeRequest(requestId, -1, "resume-frank"), HttpCompletionOption.ResponseHeadersRead);
            if ((int)response.StatusCode == 404)
            {
                await ProblemAssert.IsProblemAsync(response, 404, "stream_not_found");
                return;
            }

            Assert.Equal(200, (int)response.StatusCode);
            Assert.True(await poll.WaitForNextTickAsync(deadline.Token).AsTask().ContinueWith(t => !t.IsCanceled), "the answer never expired");
        }
    }

    private Task<(string RequestId, List<SseEvent> Events)> CompleteAsync(string user, string directive) => ResumeTests.CompleteAsync(fixture.Http, user, directive);
}
