using Router.Grains.Interfaces;
using Router.WebFront.Lanes;

namespace Router.WebFront.Tests.Lanes;

public sealed class RequestInboxTests
{
    private static LaneItem Chunk(Guid id, int seq, int chars) => new(id, seq, CompletionEvent.Chunk("m", new string('x', chars)));

    [Fact]
    public void Items_within_the_bound_are_kept_and_reading_them_frees_room()
    {
        var id = Guid.NewGuid();
        var inbox = new RequestInbox(id, "front/0", maxBufferedBytes: 2048);
        Assert.True(inbox.Deliver(Chunk(id, 0, 512)));
        Assert.True(inbox.Deliver(Chunk(id, 1, 500)));
        Assert.True(inbox.Reader.TryRead(out var first));
        inbox.Consumed(first);

        // 500 chars (1000 bytes) are still held; 512 more fit only because the first were read.
        Assert.True(inbox.Deliver(Chunk(id, 2, 512)));
        Assert.Null(inbox.Failure);
    }

    [Fact]
    public void Crossing_the_bound_fails_the_inbox_with_client_too_slow_and_signals_once()
    {
        var id = Guid.NewGuid();
        var inbox = new RequestInbox(id, "front/0", maxBufferedBytes: 2048);
        var signals = 0;
        inbox.Overflowed = () => signals++;
        Assert.True(inbox.Deliver(Chunk(id, 0, 1000)));
        Assert.False(inbox.Deliver(Chunk(id, 1, 100)));
        Assert.False(inbox.Deliver(Chunk(id, 2, 1)));

        Assert.Equal("client_too_slow", inbox.Failure?.Code);
        Assert.Equal(1, signals);
        Assert.True(inbox.Reader.TryRead(out var kept));
        Assert.Equal(0, kept.Sequence);
        Assert.False(inbox.Reader.TryRead(out _));
        Assert.True(inbox.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void A_failed_inbox_refuses_further_items_and_keeps_its_first_reason()
    {
        var id = Guid.NewGuid();
        var inbox = new RequestInbox(id, "front/0", maxBufferedBytes: 4096);
        Assert.True(inbox.Fail(new CompletionError("stream_interrupted", "lost")));
        Assert.False(inbox.Fail(new CompletionError("client_too_slow", "slow")));
        Assert.False(inbox.Deliver(Chunk(id, 0, 1)));
        Assert.Equal("stream_interrupted", inbox.Failure?.Code);
    }
}
