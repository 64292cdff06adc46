using System.Text.RegularExpressions;
using Router.OllamaSimulator;
using Router.Testing;

namespace Router.WebFront.Tests.Surfaces.Complete;

[Collection(RouterCollection.Name)]
public sealed partial class CompleteStreamingTests(RouterFixture fixture)
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex WholeSecondUtc();

    /// <summary>One block of the body: a keep-alive comment, or an event with its id (and type, for an error) and one data line.</summary>
    [GeneratedRegex(@"\G(?:: keep-alive\n\n|id: (?<id>\d+)\n(?:event: error\n)?data: (?<data>\{[^\n]*\})\n\n)")]
    private static partial Regex WireBlock();

    [Fact]
    public async Task On_the_wire_every_event_is_its_id_line_then_one_data_line_and_keep_alives_carry_no_id()
    {
        // Keep-alives every 200 ms in this fixture; the backend holds its first token until a keep-alive was read.
        var nonce = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/complete")
        {
            Content = new StringContent($"{{\"message\":\"wire {nonce} [[sim:tokens=4,tps=20,hold={nonce}]]\"}}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-User-Id", "wire-user");
        using var response = await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Timeouts.Token());
        await using var stream = await response.Content.ReadAsStreamAsync(Timeouts.Token());
        var received = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains(": keep-alive\n\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, Timeouts.Token());
            Assert.True(read > 0, $"the answer ended before its first keep-alive: {received}");
            received.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }

        fixture.Simulator.Holds.Release(nonce);
        using var rest = new StreamReader(stream);
        var body = received + await rest.ReadToEndAsync(Timeouts.Token());

        var blocks = WireBlock().Matches(body).ToList();
        Assert.Equal(body.Length, blocks.Sum(b => b.Length)); // nothing else on the wire
        Assert.StartsWith(": keep-alive\n\n", body, StringComparison.Ordinal);
        var events = blocks.Where(b => b.Groups["id"].Success).ToList();
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), events.Select(b => b.Groups["id"].Value));
        Assert.True(events[^1].Groups["data"].Value.Contains("\"done\":true", StringComparison.Ordinal), $"the answer ended with {events[^1].Value}");
        Assert.Equal(SimulatedText.Text(4), string.Concat(events.SkipLast(1).Select(b =>
            System.Text.Json.JsonDocument.Parse(b.Groups["data"].Value).RootElement.GetProperty("message").GetString())));
    }

    [Fact]
    public async Task Tokens_arrive_in_order_then_the_done_event_with_figures()
    {
        var nonce = Guid.NewGuid().ToString("N");
        await using var sse = await SseClient.PostAsync(fixture.Http, $"Tell me a story {nonce} [[sim:tokens=8,tps=20]]", "alice", Timeouts.Token());

        Assert.Equal(200, (int)sse.Response.StatusCode);
        Assert.Equal("text/event-stream", sse.Response.Content.Headers.ContentType?.MediaType);
        var events = await sse.ReadToEndAsync(Timeouts.Token());
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);

        var tokens = events.Where(e => !e.IsDone && !e.IsError).ToList();
        var done = Assert.Single(events, e => e.IsDone);
        Assert.Same(done, events[^1]);
        Assert.Equal(SimulatedOutcome.Completed, simulated.Outcome);
        Assert.Equal(simulated.Text, string.Concat(tokens.Select(t => t.Message)));


        foreach (var e in events)
        {
            Assert.Matches(WholeSecondUtc(), e.Data.GetProperty("timestamp").GetString());
            Assert.Equal("alice", e.Data.GetProperty("user_id").GetString());
            Assert.Equal("llama3.2", e.Data.GetProperty("model").GetString());
        }

        Assert.Equal("conversation", done.Data.GetProperty("category").GetString());
        Assert.Equal(simulated.PromptEvalCount, done.Data.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(8, done.Data.GetProperty("output_tokens").GetInt64());
        Assert.True(done.Data.GetProperty("processing_ms").GetInt64() >= 0);
        Assert.Equal(sse.Response.Headers.GetValues("X-Request-Id").Single(), done.Data.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task A_model_without_a_streaming_backend_gets_one_standard_message_then_done()
    {
        var nonce = Guid.NewGuid().ToString("N");
        await using var sse = await SseClient.PostAsync(fixture.Http, $"Fix my loop {nonce} [[classify:code]]", "bob", Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());

        Assert.Equal(2, events.Count);
        Assert.False(events[0].IsDone);
        Assert.Equal("qwen2.5-coder", events[0].Data.GetProperty("model").GetString());
        Assert.Contains("qwen2.5-coder", events[0].Message);
        Assert.Contains("no streaming backend", events[0].Message);
        Assert.True(events[1].IsDone);
        Assert.Equal("code", events[1].Data.GetProperty("category").GetString());
        Assert.DoesNotContain(fixture.Simulator.Journal.Requests, r => r.LastUserMessage?.Contains(nonce) == true);
    }

    [Fact]
    public async Task Without_a_user_header_the_user_is_anonymous()
    {
        await using var sse = await SseClient.PostAsync(fixture.Http, "hello [[sim:tokens=2]]", userId: null, Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());

        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal("anonymous", e.Data.GetProperty("user_id").GetString()));
        Assert.True(events[^1].IsDone);
    }

    [Fact]
    public async Task Keep_alive_comments_flow_while_waiting_for_the_first_token()
    {
        // The simulator holds its first token until the test has read the comments, so comments that reach
        // the client also show the response is flushed, not buffered.
        var nonce = Guid.NewGuid().ToString("N");
        await using var sse = await SseClient.PostAsync(fixture.Http, $"slow start {nonce} [[sim:tokens=2,hold={nonce}]]", "carol", Timeouts.Token());
        Assert.Equal(200, (int)sse.Response.StatusCode);

        await sse.WaitForCommentsBeforeAnyEventAsync(2, Timeouts.Token());
        fixture.Simulator.Holds.Release(nonce);
        var events = await sse.ReadToEndAsync(Timeouts.Token());
        Assert.True(events[^1].IsDone, $"after the release the answer should end with done, got {events[^1].Data}");
    }

    [Fact]
    public async Task The_session_sends_earlier_turns_as_context()
    {
        var user = "dana-" + Guid.NewGuid().ToString("N")[..6];
        var first = Guid.NewGuid().ToString("N");
        var second = Guid.NewGuid().ToString("N");
        await using (var sse = await SseClient.PostAsync(fixture.Http, $"first {first} [[sim:tokens=3]]", user, Timeouts.Token()))
        {
            Assert.True((await sse.ReadToEndAsync(Timeouts.Token()))[^1].IsDone);
        }

        var firstSeen = await fixture.Simulator.Journal.WaitForMessageAsync(first, Timeouts.Event);
        await using (var sse = await SseClient.PostAsync(fixture.Http, $"second {second} [[sim:tokens=3]]", user, Timeouts.Token()))
        {
            Assert.True((await sse.ReadToEndAsync(Timeouts.Token()))[^1].IsDone);
        }

        var secondSeen = await fixture.Simulator.Journal.WaitForMessageAsync(second, Timeouts.Event);

        // The second prompt carries the first exchange (user + assistant words) as context.
        Assert.True(secondSeen.PromptEvalCount >= firstSeen.PromptEvalCount + firstSeen.TokensSent + 2,
            $"first prompt {firstSeen.PromptEvalCount} words, second {secondSeen.PromptEvalCount}");
    }

    [Fact]
    public async Task A_burst_of_tokens_right_at_the_start_loses_nothing()
    {
        // No time to first token and no pacing: chunks are published while the subscription may still
        // be on its way; they must be replayed, not lost.
        var nonce = Guid.NewGuid().ToString("N");
        await using var sse = await SseClient.PostAsync(fixture.Http, $"burst {nonce} [[sim:ttft=0,tps=0,tokens=300]]", "burst", Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);

        Assert.True(events[^1].IsDone);
        Assert.Equal(300, simulated.TokensSent);
        Assert.Equal(simulated.Text, string.Concat(events.Where(e => !e.IsDone).Select(e => e.Message)));
    }
}
