namespace Router.Testing;

/// <summary>
/// A read-only pass-through over an SSE body that counts comment lines (those starting with a colon)
/// as the bytes go by; it does not parse events.
/// </summary>
internal sealed class CommentCounter(Stream inner) : Stream
{
    private readonly object _gate = new();
    private readonly List<(int Count, TaskCompletionSource Seen)> _waiters = [];
    private bool _atLineStart = true;
    private int _comments;

    public int Comments => Volatile.Read(ref _comments);

    /// <summary>Completes once <paramref name="count"/> comments have been read.</summary>
    public Task WaitForAsync(int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_comments >= count) return Task.CompletedTask;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, seen));
            return seen.Task.WaitAsync(cancellationToken);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Count(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Count(buffer.AsSpan(offset, read));
        return read;
    }

    private void Count(ReadOnlySpan<byte> bytes)
    {
        var found = 0;
        foreach (var b in bytes)
        {
            if (_atLineStart && b == (byte)':') found++;
            _atLineStart = b is (byte)'\n' or (byte)'\r';
        }

        if (found == 0) return;
        lock (_gate)
        {
            _comments += found;
            foreach (var waiter in _waiters.Where(w => w.Count <= _comments).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
