using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.OllamaSimulator;
using Router.Testing;
using Router.WebFront.Lanes;

namespace Router.WebFront.Tests.Auth;

/// <summary>
/// Key limits that hold on every path, black-box through the real router and the simulator: a
/// lease lives with its generation (a client that hangs up and resumes holds one stream, charged
/// its real tokens), a client leaving during a slow start gives everything back, a prompt is
/// reserved with its output cap, a stale reader is told the answer moved.
/// </summary>
[Collection(LeaseRouterCollection.Name)]
public sealed class KeyLeaseTests(LeaseRouterFixture fixture)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Three_hang_up_and_resume_requests_on_a_one_stream_key_get_two_429s_and_are_charged_their_real_tokens()
    {
        var (id, key) = await fixture.CreateKeyAsync(User(), new { concurrent_streams = 1 });
        var nonce = Guid.NewGuid().ToString("N");
        string requestId;
        int lastId;
        await using (var first = await CompleteStream.OpenAsync(fixture.Http, KeysRouterFixture.Complete(key, $"long {nonce} [[sim:ttft=0,tokens=200,tps=20]]"), new CancellationTokenSource(Long).Token))
        {
            Assert.Equal(200, (int)first.Response.StatusCode);
            requestId = first.RequestId;
            lastId = (await first.NextAsync())?.Id ?? throw new InvalidOperationException("phase 1: the first answer sent no event");
        }

        // The client hung up; its generation goes on for the grace, holding the key's one stream.
        var refused = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            using var again = await fixture.Http.SendAsync(KeysRouterFixture.Complete(key, $"again {i} {nonce} [[sim:ttft=0,tokens=200,tps=20]]"), HttpCompletionOption.ResponseHeadersRead, Timeouts.Token());
            refused.Add((int)again.StatusCode);
        }

        Assert.True(refused.All(s => s == 429), $"phase 2: the two requests after the hang-up answered {string.Join(", ", refused)}; the one stream is the running generation's");

        await using var resumed = await CompleteStream.OpenAsync(fixture.Http, LeaseRouterFixture.Resume(key, requestId, lastId), new CancellationTokenSource(Long).Token);
        Assert.Equal(200, (int)resumed.Response.StatusCode);
        var events = await resumed.ReadToEndAsync();
        Assert.True(events[^1].IsDone, $"phase 3: the resumed answer ended with {events[^1].Data}");
        var used = events[^1].Data.GetProperty("prompt_tokens").GetInt64() + events[^1].Data.GetProperty("output_tokens").GetInt64();
        Assert.Equal(200, events[^1].Data.GetProperty("output_tokens").GetInt64());

        await fixture.WaitForOpenStreamsAsync(id, 0, "phase 4: after the resumed answer ended");
        var usage = await fixture.UsageAsync(id);
        Assert.Equal(used, usage.GetProperty("tokens_last_minute").GetInt64());
        Assert.Equal(used, usage.GetProperty("tokens_today").GetInt64());
    }

    [Fact]
    public async Task A_client_that_leaves_during_a_slow_start_leaves_no_stream_open_and_no_inbox()
    {
        var (id, key) = await fixture.CreateKeyAsync(User(), new { concurrent_streams = 1 });
        var hold = "start-" + Guid.NewGuid().ToString("N");
        var lanes = fixture.Router.Services.GetRequiredService<LaneHub>();
        using (var leaving = new CancellationTokenSource(Long))
        {
            var sent = fixture.Http.SendAsync(KeysRouterFixture.Complete(key, $"slow [[classifier:hold={hold}]] [[sim:ttft=0,tokens=3]]"), HttpCompletionOption.ResponseHeadersRead, leaving.Token);
            await fixture.Classifier.WaitHeldAsync(hold, Timeouts.Event);
            Assert.Equal(1, (await fixture.UsageAsync(id)).GetProperty("open_streams").GetInt32());
            await leaving.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sent);
        }

        // The start ends after the client left: whatever it began is stopped and given back.
        fixture.Classifier.Release(hold);
        await fixture.WaitForOpenStreamsAsync(id, 0, "after the client left during the start");
        await WaitAsync(() => lanes.OpenInboxes == 0, "the inbox of the request whose client left");

        using var next = await fixture.Http.SendAsync(KeysRouterFixture.Complete(key, "next [[sim:ttft=0,tokens=1]]"), Timeouts.Token());
        Assert.Equal(200, (int)next.StatusCode);
    }

    [Fact]
    public async Task A_200_KB_system_message_with_max_tokens_1_is_refused_under_a_1000_token_per_minute_key()
    {
        var (id, key) = await fixture.CreateKeyAsync(User(), new { tokens_per_minute = 1000 });
        var nonce = Guid.NewGuid().ToString("N");
        var system = string.Concat(Enumerable.Repeat("The quick answer is always the right one. ", 200 * 1024 / 42));
        using (var big = await fixture.Http.SendAsync(LeaseRouterFixture.Chat(key, new
        {
            model = "auto",
            max_tokens = 1,
            messages = new object[] { new { role = "system", content = system }, new { role = "user", content = $"big {nonce} [[sim:ttft=0,tokens=1]]" } },
        }), Timeouts.Token()))
        {
            var body = await big.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True((int)big.StatusCode == 429, $"the 200 KB prompt answered {(int)big.StatusCode}: {body}");
            Assert.Equal("request_too_large", body.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(0, (await fixture.UsageAsync(id)).GetProperty("tokens_last_minute").GetInt64());
        Assert.DoesNotContain(fixture.Simulator.Journal.Requests, r => r.Messages.Any(m => m.Content?.Contains(nonce, StringComparison.Ordinal) == true));

        // A short prompt with the same max_tokens fits, and its backend is asked for one token at most.
        using var small = await fixture.Http.SendAsync(LeaseRouterFixture.Chat(key, new
        {
            model = "auto",
            max_tokens = 1,
            messages = new object[] { new { role = "system", content = "Be brief." }, new { role = "user", content = $"small {nonce} [[sim:ttft=0,tokens=5]]" } },
        }), Timeouts.Token());
        Assert.Equal(200, (int)small.StatusCode);
        var answered = await small.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, answered.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Max_tokens_below_1_is_refused_naming_it(int maxTokens)
    {
        var (_, key) = await fixture.CreateKeyAsync(User());
        using var response = await fixture.Http.SendAsync(LeaseRouterFixture.Chat(key, new
        {
            model = "auto",
            max_tokens = maxTokens,
            messages = new object[] { new { role = "user", content = "hello [[sim:ttft=0,tokens=1]]" } },
        }), Timeouts.Token());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 400, $"max_tokens {maxTokens} answered {(int)response.StatusCode}: {body}");
        // The OpenAI surface's own shape for a value out of range, naming the parameter.
        Assert.Equal("invalid_value", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("max_tokens", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_stale_connection_is_told_the_answer_moved_and_the_generation_goes_on_for_the_resume()
    {
        var (_, key) = await fixture.CreateKeyAsync(User(), new { concurrent_streams = 1 });
        var nonce = Guid.NewGuid().ToString("N");
        await using var stale = await CompleteStream.OpenAsync(fixture.Http, KeysRouterFixture.Complete(key, $"moved {nonce} [[sim:ttft=0,tokens=80,tps=20]]"), new CancellationTokenSource(Long).Token);
        var first = await stale.NextAsync() ?? throw new InvalidOperationException("the first connection got no event");

        // The client resumes on a new connection while the old one is still open (its network hung, say).
        await using var resumed = await CompleteStream.OpenAsync(fixture.Http, LeaseRouterFixture.Resume(key, stale.RequestId, first.Id!.Value), new CancellationTokenSource(Long).Token);
        Assert.Equal(200, (int)resumed.Response.StatusCode);
        var staleEnd = (await stale.ReadToEndAsync().WaitAsync(Timeouts.Event))[^1];
        Assert.True(staleEnd.ErrorCode == "stream_moved", $"the stale connection ended with {staleEnd.Data}");

        var events = await resumed.ReadToEndAsync();
        Assert.True(events[^1].IsDone, $"the resumed answer ended with {events[^1].Data}");
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.Completed, simulated.Outcome);
    }

    [Fact]
    public async Task Route_is_counted_under_the_key()
    {
        var (id, key) = await fixture.CreateKeyAsync(User(), new { requests_per_minute = 1 });
        var statuses = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            using var request = LeaseRouterFixture.Chat(key, new { message = $"route me {i}" });
            request.RequestUri = new Uri("/v1/route", UriKind.Relative);
            using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([200, 429], statuses);
        Assert.Equal(0, (await fixture.UsageAsync(id)).GetProperty("open_streams").GetInt32());
    }

    [Fact]
    public async Task An_answer_is_cut_at_the_output_byte_cap_with_finish_reason_length_streamed_or_not()
    {
        var (_, key) = await fixture.CreateKeyAsync(User());
        using var collected = await fixture.Http.SendAsync(LeaseRouterFixture.Chat(key, new
        {
            model = "auto",
            messages = new object[] { new { role = "user", content = "a long one [[sim:ttft=0,tokens=3000,tps=2000]]" } },
        }), Timeouts.Token());
        Assert.Equal(200, (int)collected.StatusCode);
        var content = (await collected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(content), 1, LeaseRouterFixture.MaxOutputBytes + 64);

        await using var streamed = await CompleteStream.OpenAsync(fixture.Http, KeysRouterFixture.Complete(key, "another long one [[sim:ttft=0,tokens=3000,tps=2000]]"), new CancellationTokenSource(Long).Token);
        var events = await streamed.ReadToEndAsync();
        Assert.True(events[^1].IsDone, $"the capped answer ended with {events[^1].Data}");
        Assert.Equal("length", events[^1].Data.GetProperty("finish_reason").GetString());
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(string.Concat(events.Where(e => !e.IsDone).Select(e => e.Message))), 1, LeaseRouterFixture.MaxOutputBytes + 64);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var deadline = DateTime.UtcNow + Timeouts.Event;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{what}: not so within {Timeouts.Event.TotalSeconds:0} s");
            await poll.WaitForNextTickAsync();
        }
    }

    private static string User() => "lease-" + Guid.NewGuid().ToString("N")[..8];
}
