using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Router.LoadTest.Workload;

namespace Router.LoadTest.Clients;

/// <summary>
/// Sends one streaming request and measures it. Subclasses say how to build the request and which
/// line protocol the answer speaks; reading, timing and outcome classification live here once.
/// </summary>
internal abstract class StreamClient(HttpClient http, RequestPlan plan)
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    /// <summary>Short name for reports: <c>router</c> or <c>direct</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The URL requests go to, for reports.</summary>
    public abstract Uri Endpoint { get; }

    protected RequestPlan Plan { get; } = plan;

    /// <summary>One shared handler for all streams: HTTP/1.1, unlimited connections that are never recycled.</summary>
    public static HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        return new HttpClient(handler)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public async Task RunAsync(RequestRecord record, PlannedRequest planned, TimeSpan timeout, IStreamObserver observer, CancellationToken abort)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(abort);
        cts.CancelAfter(timeout);
        var ct = cts.Token;
        var responded = false;
        try
        {
            using var request = CreateRequest(planned);
            record.StartTicks = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            responded = true;
            if (!response.IsSuccessStatusCode)
            {
                record.EndTicks = Stopwatch.GetTimestamp();
                record.Outcome = OutcomeKind.HttpStatus;
                record.HttpStatus = (int)response.StatusCode;
                record.Detail = await ReadExcerptAsync(response, ct).ConfigureAwait(false);
                return;
            }

            if (CheckContentType(response.Content.Headers.ContentType?.MediaType) is { } problem)
            {
                record.EndTicks = Stopwatch.GetTimestamp();
                record.Outcome = OutcomeKind.ProtocolError;
                record.Detail = problem;
                return;
            }

            var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await ReadStreamAsync(stream, CreateProtocol(record, observer), record, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            record.EndTicks = Stopwatch.GetTimestamp();
            if (record.StartTicks == 0)
            {
                record.StartTicks = record.EndTicks;
            }

            (record.Outcome, record.Detail) = (abort.IsCancellationRequested, ct.IsCancellationRequested, responded) switch
            {
                (true, _, _) => (OutcomeKind.Cancelled, null),
                (false, true, _) => (OutcomeKind.Timeout, $"no end of stream within {timeout.TotalSeconds:0.#}s"),
                (false, false, false) => (OutcomeKind.RequestFailed, Describe(ex)),
                _ => (OutcomeKind.StreamFailed, Describe(ex)),
            };
        }
    }

    protected abstract HttpRequestMessage CreateRequest(PlannedRequest planned);

    protected abstract LineProtocol CreateProtocol(RequestRecord record, IStreamObserver observer);

    /// <summary>Returns a problem description when a 2xx answer is not the expected stream type.</summary>
    protected virtual string? CheckContentType(string? mediaType) => null;

    protected static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonType;
        return content;
    }

    private static async Task ReadStreamAsync(Stream stream, LineProtocol protocol, RequestRecord record, CancellationToken ct)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 8192, minimumReadSize: 2048));
        var scratch = Array.Empty<byte>();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct).ConfigureAwait(false);
                // One timestamp per read: every item that arrived together arrived at this instant.
                var now = Stopwatch.GetTimestamp();
                var buffer = result.Buffer;
                var terminal = false;
                while (!terminal && TryReadLine(ref buffer, out var line))
                {
                    terminal = protocol.OnLine(Span(line, ref scratch), now);
                }

                if (!terminal && result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        terminal = protocol.OnLine(Span(TrimCr(buffer), ref scratch), now);
                    }

                    terminal = terminal || protocol.OnEndOfStream(now);
                    if (!terminal)
                    {
                        record.Outcome = OutcomeKind.ClosedSilently;
                        record.EndTicks = now;
                        record.Detail = $"stream closed after {record.Chunks} chunks without done or error";
                    }

                    return;
                }

                if (terminal)
                {
                    // Disposing the response lets the handler drain the chunked terminator and reuse the connection.
                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            if (scratch.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }

        line = TrimCr(buffer.Slice(0, position.Value));
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    private static ReadOnlySequence<byte> TrimCr(ReadOnlySequence<byte> line)
    {
        if (!line.IsEmpty)
        {
            var last = line.Slice(line.Length - 1);
            if (last.FirstSpan[0] == (byte)'\r')
            {
                return line.Slice(0, line.Length - 1);
            }
        }

        return line;
    }

    private static ReadOnlySpan<byte> Span(in ReadOnlySequence<byte> line, ref byte[] scratch)
    {
        if (line.IsSingleSegment)
        {
            return line.FirstSpan;
        }

        // Rare: a line split across buffer segments is copied into a pooled scratch array.
        if (scratch.Length < line.Length)
        {
            if (scratch.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }

            scratch = ArrayPool<byte>.Shared.Rent((int)line.Length);
        }

        line.CopyTo(scratch);
        return scratch.AsSpan(0, (int)line.Length);
    }

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return text.Length > 300 ? text[..300] : text;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return "";
        }
    }

    private static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner == ex ? ex.Message : $"{ex.Message} ({inner.Message})";
    }
}
