namespace Router.Grains.Tests.Generation.Ollama;

/// <summary>
/// A response body handed on in reads of the given sizes, in turn, so that lines (and characters)
/// span reads; with <c>cutAfter</c>, the body ends after that many bytes, wherever that falls.
/// </summary>
internal sealed class TrickleStream(Stream inner, int[] sizes, long cutAfter = long.MaxValue) : Stream
{
    private int _next;
    private long _passed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _passed; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var size = (int)Math.Min(Math.Min(sizes[_next++ % sizes.Length], buffer.Length), cutAfter - _passed);
        if (size <= 0) return 0;
        var read = await inner.ReadAsync(buffer[..size], cancellationToken);
        _passed += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
