using Microsoft.Extensions.Time.Testing;

namespace Router.Hosting.Tests;

/// <summary>One linked source re-armed for wait after wait: it fires on its timeout or with either token, and is replaced only when it must be.</summary>
public sealed class RearmedTimeoutTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public void Waits_that_end_before_the_timeout_reuse_one_source()
    {
        using var timeout = new RearmedTimeout();
        using var first = new CancellationTokenSource();
        var a = timeout.Arm(Long, first.Token, CancellationToken.None);
        var b = timeout.Arm(Long, first.Token, CancellationToken.None);

        Assert.Equal(a, b);
        Assert.False(b.IsCancellationRequested);
    }

    [Fact]
    public async Task The_token_fires_after_its_timeout_and_the_next_wait_gets_a_fresh_one()
    {
        using var timeout = new RearmedTimeout();
        var fired = timeout.Arm(TimeSpan.FromMilliseconds(20), CancellationToken.None, CancellationToken.None);
        await WaitCancelledAsync(fired, "the timeout");

        var next = timeout.Arm(Long, CancellationToken.None, CancellationToken.None);
        Assert.NotEqual(fired, next);
        Assert.False(next.IsCancellationRequested);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Either_linked_token_cancels_the_wait(bool cancelFirst)
    {
        using var timeout = new RearmedTimeout();
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var token = timeout.Arm(Long, first.Token, second.Token);

        await (cancelFirst ? first : second).CancelAsync();
        await WaitCancelledAsync(token, cancelFirst ? "the first token" : "the second token");
    }

    [Fact]
    public void Other_tokens_get_a_source_linked_to_them()
    {
        using var timeout = new RearmedTimeout();
        using var before = new CancellationTokenSource();
        using var after = new CancellationTokenSource();
        var a = timeout.Arm(Long, before.Token, CancellationToken.None);
        var b = timeout.Arm(Long, after.Token, CancellationToken.None);
        Assert.NotEqual(a, b);

        after.Cancel();
        Assert.True(b.IsCancellationRequested, "the new source should follow the new token");
        before.Cancel();
        Assert.False(timeout.Arm(Long, CancellationToken.None, CancellationToken.None).IsCancellationRequested);
    }

    [Fact]
    public void After_dispose_the_next_arm_makes_a_new_source()
    {
        var timeout = new RearmedTimeout();
        var a = timeout.Arm(Long, CancellationToken.None, CancellationToken.None);
        timeout.Dispose();
        var b = timeout.Arm(Long, CancellationToken.None, CancellationToken.None);
        Assert.NotEqual(a, b);
        Assert.False(b.IsCancellationRequested);
        timeout.Dispose();
    }

    [Fact]
    public void Each_arm_moves_the_deadline_to_its_own_timeout()
    {
        var time = new FakeTimeProvider();
        using var timeout = new RearmedTimeout(time);
        var limit = TimeSpan.FromSeconds(10);
        var token = timeout.Arm(limit, CancellationToken.None, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(token, timeout.Arm(limit, CancellationToken.None, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(6)); // the first timer fires here, 12 s after the first arm
        Assert.False(token.IsCancellationRequested, "6 s after the second arm, within its 10 s");
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(token.IsCancellationRequested, "9 s after the second arm");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(token.IsCancellationRequested, "10 s after the second arm");
    }

    [Fact]
    public void A_shorter_timeout_after_a_longer_one_is_kept()
    {
        var time = new FakeTimeProvider();
        using var timeout = new RearmedTimeout(time);
        timeout.Arm(TimeSpan.FromSeconds(10), CancellationToken.None, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        var token = timeout.Arm(TimeSpan.FromSeconds(2), CancellationToken.None, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(token.IsCancellationRequested, "2 s after an arm for 2 s, though the timer was set for 10 s");
    }

    [Fact]
    public void An_infinite_timeout_never_fires_and_a_later_finite_one_does()
    {
        var time = new FakeTimeProvider();
        using var timeout = new RearmedTimeout(time);
        var token = timeout.Arm(Timeout.InfiniteTimeSpan, CancellationToken.None, CancellationToken.None);
        time.Advance(TimeSpan.FromDays(30));
        Assert.False(token.IsCancellationRequested);

        Assert.Equal(token, timeout.Arm(TimeSpan.FromSeconds(1), CancellationToken.None, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(token.IsCancellationRequested);
    }

    private static async Task WaitCancelledAsync(CancellationToken token, string what)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = token.Register(() => cancelled.TrySetResult());
        try
        {
            await cancelled.Task.WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the token was not cancelled by {what} within {Bound}");
        }
    }
}
