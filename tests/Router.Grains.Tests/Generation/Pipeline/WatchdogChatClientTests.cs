using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Router.Grains.Generation.Pipeline;

namespace Router.Grains.Tests.Generation.Pipeline;

/// <summary>
/// The first-token and idle timeouts over a scripted inner client, on a fake clock: time moves only
/// when the test advances it, so each limit is checked exactly, with no waiting and no wall clock.
/// </summary>
public sealed class WatchdogChatClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedChatClient _inner = new();

    [Fact]
    public async Task No_first_token_within_the_limit_cancels_the_inner_call_and_ends_with_a_first_token_timeout()
    {
        using var client = new FirstTokenTimeoutChatClient(_inner, Limit, _time);
        await using var updates = client.GetStreamingResponseAsync("hi").GetAsyncEnumerator();
        var first = updates.MoveNextAsync().AsTask();
        var innerToken = await _inner.Called.Task.WaitAsync(Timeout);

        _time.Advance(Limit - TimeSpan.FromMilliseconds(1));
        Assert.False(innerToken.IsCancellationRequested, "cancelled before the limit");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(innerToken.IsCancellationRequested, "not cancelled at the limit");

        var timeout = await Assert.ThrowsAsync<ChatTimeoutException>(() => first.WaitAsync(Timeout));
        Assert.Equal((ChatTimeoutKind.FirstToken, Limit), (timeout.Kind, timeout.Limit));
        Assert.IsAssignableFrom<OperationCanceledException>(timeout.InnerException);
    }

    [Fact]
    public async Task The_first_token_stops_the_timer_for_the_rest_of_the_answer()
    {
        using var client = new FirstTokenTimeoutChatClient(_inner, Limit, _time);
        await using var updates = client.GetStreamingResponseAsync("hi").GetAsyncEnumerator();
        _inner.Send("The ");
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(Timeout));
        var innerToken = await _inner.Called.Task;

        _time.Advance(TimeSpan.FromHours(1));
        Assert.False(innerToken.IsCancellationRequested, "the first-token limit still ran after the first token");
        _inner.Send("end");
        _inner.Finish();
        Assert.Equal(["end", ""], await RestAsync(updates));
    }

    [Fact]
    public async Task An_update_without_text_is_no_first_token()
    {
        using var client = new FirstTokenTimeoutChatClient(_inner, Limit, _time);
        await using var updates = client.GetStreamingResponseAsync("hi").GetAsyncEnumerator();
        _inner.SendRoleOnly();
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(Timeout));

        var next = updates.MoveNextAsync().AsTask();
        _time.Advance(Limit);
        Assert.Equal(ChatTimeoutKind.FirstToken, (await Assert.ThrowsAsync<ChatTimeoutException>(() => next.WaitAsync(Timeout))).Kind);
    }

    [Fact]
    public async Task The_idle_timer_starts_with_the_first_update_and_restarts_with_every_update()
    {
        using var client = new IdleTimeoutChatClient(_inner, Limit, _time);
        await using var updates = client.GetStreamingResponseAsync("hi").GetAsyncEnumerator();
        var first = updates.MoveNextAsync().AsTask();
        var innerToken = await _inner.Called.Task.WaitAsync(Timeout);

        // Waiting for the first token is the other limit's business.
        _time.Advance(TimeSpan.FromHours(1));
        Assert.False(innerToken.IsCancellationRequested, "the idle limit ran before the answer started");
        _inner.Send("a");
        Assert.True(await first.WaitAsync(Timeout));

        _time.Advance(Limit - TimeSpan.FromSeconds(1));
        _inner.Send("b");
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(Timeout));
        _time.Advance(Limit - TimeSpan.FromSeconds(1));
        Assert.False(innerToken.IsCancellationRequested, "an update did not restart the idle limit");

        var next = updates.MoveNextAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(1));
        var timeout = await Assert.ThrowsAsync<ChatTimeoutException>(() => next.WaitAsync(Timeout));
        Assert.Equal((ChatTimeoutKind.Idle, Limit), (timeout.Kind, timeout.Limit));
    }

    [Fact]
    public async Task An_inner_client_that_ends_quietly_when_cancelled_still_ends_with_the_timeout()
    {
        var quiet = new ScriptedChatClient { EndsQuietlyWhenCancelled = true };
        using var client = new IdleTimeoutChatClient(quiet, Limit, _time);
        await using var updates = client.GetStreamingResponseAsync("hi").GetAsyncEnumerator();
        quiet.Send("a");
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(Timeout));

        var next = updates.MoveNextAsync().AsTask();
        _time.Advance(Limit);
        Assert.Equal(ChatTimeoutKind.Idle, (await Assert.ThrowsAsync<ChatTimeoutException>(() => next.WaitAsync(Timeout))).Kind);
    }

    [Fact]
    public async Task The_callers_cancellation_passes_through_as_a_cancellation()
    {
        using var client = new FirstTokenTimeoutChatClient(new IdleTimeoutChatClient(_inner, Limit, _time), Limit, _time);
        using var caller = new CancellationTokenSource();
        await using var updates = client.GetStreamingResponseAsync("hi", cancellationToken: caller.Token).GetAsyncEnumerator();
        var first = updates.MoveNextAsync().AsTask();
        var innerToken = await _inner.Called.Task.WaitAsync(Timeout);

        await caller.CancelAsync();
        Assert.True(innerToken.IsCancellationRequested, "the caller's cancellation did not reach the inner call");
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Timeout));
        Assert.IsNotType<ChatTimeoutException>(ex);
    }

    [Fact]
    public async Task A_non_streamed_answer_is_held_to_the_same_limit()
    {
        using var client = new FirstTokenTimeoutChatClient(_inner, Limit, _time);
        var response = client.GetResponseAsync("hi");
        await _inner.Called.Task.WaitAsync(Timeout);
        _time.Advance(Limit);
        Assert.Equal(ChatTimeoutKind.FirstToken, (await Assert.ThrowsAsync<ChatTimeoutException>(() => response.WaitAsync(Timeout))).Kind);
    }

    private static async Task<List<string>> RestAsync(IAsyncEnumerator<ChatResponseUpdate> updates)
    {
        var texts = new List<string>();
        while (await updates.MoveNextAsync().AsTask().WaitAsync(Timeout)) texts.Add(updates.Current.Text);
        return texts;
    }
}
