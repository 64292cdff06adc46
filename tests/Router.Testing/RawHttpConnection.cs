using System.Net.Sockets;
using System.Text;

namespace Router.Testing;

/// <summary>An HTTP/1.1 response as read off the wire.</summary>
public sealed record RawHttpResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// One TCP connection that speaks HTTP/1.1 by hand, for requests no well-behaved client sends:
/// header bytes that are not ASCII, bodies that trickle in, framing that lies.
/// </summary>
public sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawHttpConnection> OpenAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(baseUrl.Host, baseUrl.Port, cancellationToken);
        return new RawHttpConnection(tcp);
    }

    /// <summary>The head of a request (request line and headers, ending with the blank line) as bytes.</summary>
    public static byte[] Head(string method, string path, string host, params (string Name, byte[] Value)[] headers)
    {
        var head = new MemoryStream();
        head.Write(Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: {host}\r\n"));
        foreach (var (name, value) in headers)
        {
            head.Write(Encoding.ASCII.GetBytes(name + ": "));
            head.Write(value);
            head.Write("\r\n"u8);
        }

        head.Write("\r\n"u8);
        return head.ToArray();
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(bytes, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    /// <summary>True when the server has data for us (a response) before the token fires.</summary>
    public Task<bool> WaitForDataAsync(CancellationToken cancellationToken) => FillAsync(cancellationToken).AsTask();

    /// <summary>Reads one response: status line, headers, then a body framed by Content-Length, chunks or the end of the connection.</summary>
    public async Task<RawHttpResponse> ReadResponseAsync(CancellationToken cancellationToken)
    {
        var statusLine = await ReadLineAsync(cancellationToken) ?? throw new IOException("The server closed the connection without a response.");
        var status = int.Parse(statusLine.Split(' ')[1]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await ReadLineAsync(cancellationToken) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = new MemoryStream();
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (await ReadLineAsync(cancellationToken) is { } sizeLine)
            {
                var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    await ReadLineAsync(cancellationToken);
                    break;
                }

                await ReadExactlyAsync(body, size, cancellationToken);
                await ReadLineAsync(cancellationToken);
            }
        }
        else if (headers.TryGetValue("Content-Length", out var length))
        {
            await ReadExactlyAsync(body, int.Parse(length), cancellationToken);
        }
        else
        {
            while (await FillAsync(cancellationToken))
            {
                body.Write(_buffer, _start, _end - _start);
                _start = _end;
            }
        }

        return new RawHttpResponse(status, headers, body.ToArray());
    }

    /// <summary>True when the server closed the connection (after any response already read).</summary>
    public async Task<bool> IsClosedByServerAsync(CancellationToken cancellationToken)
    {
        try
        {
            return !await FillAsync(cancellationToken);
        }
        catch (IOException)
        {
            return true; // a reset is a close too
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start < _end) return true;
        _start = 0;
        _end = await _stream.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (await FillAsync(cancellationToken))
        {
            var b = _buffer[_start++];
            if (b == '\n') return line.ToString().TrimEnd('\r');
            line.Append((char)b);
        }

        return line.Length > 0 ? line.ToString() : null;
    }

    private async Task ReadExactlyAsync(Stream target, int count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (!await FillAsync(cancellationToken)) throw new IOException("The connection ended inside a response body.");
            var n = Math.Min(count, _end - _start);
            target.Write(_buffer, _start, n);
            _start += n;
            count -= n;
        }
    }

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
