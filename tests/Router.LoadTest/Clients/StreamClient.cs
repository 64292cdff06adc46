using System.Diagnostics;
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

    protected abstract StreamProtocol CreateProtocol(RequestRecord record, IStreamObserver observer);

    /// <summary>Returns a problem description when a 2xx answer is not the expected stream type.</summary>
    protected virtual string? CheckContentType(string? mediaType) => null;

    protected static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonType;
        return content;
    }

    private static async Task ReadStreamAsync(Stream stream, StreamProtocol protocol, RequestRecord record, CancellationToken ct)
    {
        // After a terminal item, disposing the response lets the handler drain the chunked terminator and reuse the connection.
        if (!await protocol.ReadAsync(stream, ct).ConfigureAwait(false))
        {
            record.Outcome = OutcomeKind.ClosedSilently;
            record.EndTicks = Stopwatch.GetTimestamp();
            record.Detail = $"stream closed after {record.Chunks} chunks without done or error";
        }
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
