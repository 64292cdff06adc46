using System.Net.Http.Json;
using System.Text.Json;
using Router.Testing;

namespace Router.WebFront.Tests.Auth;

/// <summary>
/// Limits of a key on the wire: 429 before any stream with Retry-After and x-ratelimit-* in the
/// surface's shape; stream slots held until each answer ends (or its client leaves); tokens reserved
/// at the start and settled with the backend's real counts at the end.
/// </summary>
[Collection(KeysRouterCollection.Name)]
public sealed class RateLimitTests(KeysRouterFixture fixture)
{
    private const string Quick = "quick one [[sim:tokens=2]]";

    /// <summary>Held by the backend after its first token, so it is open while the test looks at it; the test ends it.</summary>
    private static string Long() => $"a long one [[sim:tokens=5,hold=never-{Guid.NewGuid():N},holdafter=1]]";

    [Fact]
    public async Task Over_requests_per_minute_is_a_429_with_retry_after_and_the_limit_headers_on_both_surfaces()
    {
        var (_, key) = await fixture.CreateKeyAsync(User(), new { requests_per_minute = 2 });

        for (var i = 0; i < 2; i++)
        {
            await using var sse = await SseClient.OpenAsync(fixture.Http, KeysRouterFixture.Complete(key, Quick), Timeouts.Token());
            Assert.Equal(200, (int)sse.Response.StatusCode);
            Assert.Equal("2", Header(sse.Response, "x-ratelimit-limit-requests"));
            Assert.Equal((1 - i).ToString(), Header(sse.Response, "x-ratelimit-remaining-requests"));
            Assert.True((await sse.ReadToEndAsync(Timeouts.Token()))[^1].IsDone, $"request {i + 1} should be answered");
        }

        using var refused = await fixture.Http.SendAsync(KeysRouterFixture.Complete(key, Quick), Timeouts.Token());
        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rate_limited", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        AssertRetryAfter(refused, max: 60);
        Assert.Equal("2", Header(refused, "x-ratelimit-limit-requests"));
        Assert.Equal("0", Header(refused, "x-ratelimit-remaining-requests"));
        Assert.Matches("^([0-9]+s|1m0s)$", Header(refused, "x-ratelimit-reset-requests"));

        using var chat = await fixture.Http.SendAsync(KeysRouterFixture.Chat(key, Quick, stream: true), Timeouts.Token());
        Assert.Equal(429, (int)chat.StatusCode);
        var error = (await chat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("rate_limited", error.GetProperty("code").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        AssertRetryAfter(chat, max: 60);
        Assert.Equal("0", Header(chat, "x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task Concurrent_streams_are_held_until_each_answer_ends_or_its_client_leaves()
    {
        var (id, key) = await fixture.CreateKeyAsync(User(), new { concurrent_streams = 2 });
        var first = await OpenAsync(key, Long());
        var second = await OpenAsync(key, Long());

        using (var third = await fixture.Http.SendAsync(KeysRouterFixture.Complete(key, Quick), Timeouts.Token()))
        {
            Assert.Equal(429, (int)third.StatusCode);
            AssertRetryAfter(third, max: 1);
            Assert.Equal("2", Header(third, "x-ratelimit-limit-streams"));
            Assert.Equal("0", Header(third, "x-ratelimit-remaining-streams"));
        }

        Assert.Equal(2, (await fixture.GetKeyAsync(id)).GetProperty("usage").GetProperty("open_streams").GetInt32());

        // The client of the first goes away: its slot comes back once the web front sees it.
        await first.DisposeAsync();
        await WaitForOpenStreamsAsync(id, 1, "after the first client left");
        await using (var replacement = await SseClient.OpenAsync(fixture.Http, KeysRouterFixture.Complete(key, Quick), Timeouts.Token()))
        {
            Assert.Equal(200, (int)replacement.Response.StatusCode);
            Assert.True((await replacement.ReadToEndAsync(Timeouts.Token()))[^1].IsDone, "the replacement should be answered");
        }

        // An answer that ended gives its slot back before its response closes.
        Assert.Equal(1, (await fixture.GetKeyAsync(id)).GetProperty("usage").GetProperty("open_streams").GetInt32());
        await second.DisposeAsync();
        await WaitForOpenStreamsAsync(id, 0, "after the second client left");
    }

    [Fact]
    public async Task Tokens_are_reserved_at_the_start_and_settled_with_the_real_counts_at_the_end()
    {
        // Reservation: the prompt's estimate (a token per four characters, plus one) and 100 (the
        // fixture's default output cap), against 150 per minute: one open request at a time.
        var (id, key) = await fixture.CreateKeyAsync(User(), new { tokens_per_minute = 150 });
        // The backend holds the answer after its first token until the test has checked the reservation.
        var hold = Guid.NewGuid().ToString("N");
        var prompt = $"counted [[sim:tokens=30,tps=100,hold={hold},holdafter=1]]";
        var reserved = KeysRouterFixture.DefaultReservation + prompt.Length / 4 + 1;
        var open = await OpenAsync(key, prompt);
        var usage = (await fixture.GetKeyAsync(id)).GetProperty("usage");
        Assert.Equal(reserved, usage.GetProperty("tokens_last_minute").GetInt64());
        Assert.Equal(reserved, usage.GetProperty("tokens_today").GetInt64());

        using (var refused = await fixture.Http.SendAsync(KeysRouterFixture.Complete(key, Quick), Timeouts.Token()))
        {
            Assert.Equal(429, (int)refused.StatusCode);
            AssertRetryAfter(refused, max: 60);
            Assert.Equal("150", Header(refused, "x-ratelimit-limit-tokens"));
            Assert.Equal((150 - reserved).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(refused, "x-ratelimit-remaining-tokens"));
            Assert.NotNull(Header(refused, "x-ratelimit-reset-tokens"));
        }

        fixture.Simulator.Holds.Release(hold);
        var events = await open.ReadToEndAsync(Timeouts.Token());
        await open.DisposeAsync();
        var done = events[^1];
        Assert.True(done.IsDone, "the counted answer should end with its done event");
        var used = done.Data.GetProperty("prompt_tokens").GetInt64() + done.Data.GetProperty("output_tokens").GetInt64();
        Assert.Equal(30, done.Data.GetProperty("output_tokens").GetInt64());
        usage = (await fixture.GetKeyAsync(id)).GetProperty("usage");
        Assert.Equal(used, usage.GetProperty("tokens_last_minute").GetInt64());
        Assert.Equal(used, usage.GetProperty("tokens_today").GetInt64());

        // Settled, the window has room again; max_tokens and the prompt's estimate are what a chat request reserves.
        var more = Guid.NewGuid().ToString("N");
        var morePrompt = $"more [[sim:tokens=30,hold={more},holdafter=1]]";
        var chatReserved = 40 + morePrompt.Length / 4 + 1;
        var chat = await SseClient.OpenAsync(fixture.Http, KeysRouterFixture.Chat(key, morePrompt, stream: true, maxTokens: 40), Timeouts.Token());
        await using (chat)
        {
            await fixture.Simulator.Holds.WaitUntilHeldAsync(more, Timeouts.Event);
            Assert.Equal(200, (int)chat.Response.StatusCode);
            Assert.Equal((150 - used - chatReserved).ToString(), Header(chat.Response, "x-ratelimit-remaining-tokens"));
            Assert.Equal(used + chatReserved, (await fixture.GetKeyAsync(id)).GetProperty("usage").GetProperty("tokens_last_minute").GetInt64());
        }
    }

    private async Task<SseStream> OpenAsync(string key, string message)
    {
        var sse = await SseClient.OpenAsync(fixture.Http, KeysRouterFixture.Complete(key, message), Timeouts.Token());
        Assert.Equal(200, (int)sse.Response.StatusCode);
        Assert.NotNull(await sse.NextAsync(Timeouts.Token())); // running: its first chunk arrived
        return sse;
    }

    private async Task WaitForOpenStreamsAsync(string id, int expected, string phase)
    {
        // The web front notices a client that left on its next write or keep-alive (200 ms here).
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var deadline = DateTime.UtcNow + Timeouts.Event;
        var open = -1;
        while (DateTime.UtcNow < deadline && await poll.WaitForNextTickAsync())
        {
            open = (await fixture.GetKeyAsync(id)).GetProperty("usage").GetProperty("open_streams").GetInt32();
            if (open == expected) return;
        }

        Assert.Fail($"{phase}: open_streams stayed {open}, expected {expected}");
    }

    private static void AssertRetryAfter(HttpResponseMessage response, int max)
    {
        var seconds = int.Parse(response.Headers.GetValues("Retry-After").Single());
        Assert.InRange(seconds, 1, max);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    private static string User() => "limited-" + Guid.NewGuid().ToString("N")[..8];
}
