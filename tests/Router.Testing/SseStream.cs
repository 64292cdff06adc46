using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Router.Testing;

/// <summary>
/// An open SSE response read event by event with the framework's <see cref="SseParser"/>: the one SSE reader
/// of the test support code (<see cref="SseClient"/> and <see cref="CompleteStream"/> open it). The parser
/// drops comments, so the body passes through a <see cref="CommentCounter"/> that counts keep-alives.
/// </summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CommentCounter _body;
    private readonly CancellationTokenSource _disposed = new();
    private readonly IAsyncEnumerator<SseItem<JsonElement>> _items;
    private readonly CancellationToken _opened;

    // A read given up by its caller's token is kept and handed to the next call: the parser allows one read at a time.
    private Task<bool>? _pending;

    /// <param name="opened">Bounds the reads that take no token of their own (<see cref="NextAsync()"/>, <see cref="ReadToEndAsync()"/>).</param>
    public SseStream(HttpResponseMessage response, Stream body, CancellationToken opened = default)
    {
        _opened = opened;
        _response = response;
        _body = new CommentCounter(body);
        _items = SseParser.Create(_body, static (_, data) => JsonSerializer.Deserialize<JsonElement>(data))
            .EnumerateAsync(_disposed.Token)
            .GetAsyncEnumerator(_disposed.Token);
    }

    public HttpResponseMessage Response => _response;

    /// <summary>The answer's request id (the <c>x-request-id</c> header).</summary>
    public string RequestId => _response.Headers.GetValues("x-request-id").Single();

    /// <summary>SSE comments (keep-alives) read so far.</summary>
    public int Comments => _body.Comments;

    /// <summary>The next event, or null when the response ended.</summary>
    public async Task<SseEvent?> NextAsync(CancellationToken cancellationToken)
    {
        var move = _pending ??= _items.MoveNextAsync().AsTask();
        var more = await move.WaitAsync(cancellationToken);
        _pending = null;
        if (!more) return null;
        var item = _items.Current;
        int? id = item.EventId is { Length: > 0 } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
        return new SseEvent(item.EventType, item.Data, id);
    }

    /// <summary>The next event within the token the stream was opened with, or null when the response ended.</summary>
    public Task<SseEvent?> NextAsync() => NextAsync(_opened);

    /// <summary>Every event up to the end of the response, within the token the stream was opened with.</summary>
    public Task<List<SseEvent>> ReadToEndAsync() => ReadToEndAsync(_opened);

    /// <summary>
    /// Reads until <paramref name="count"/> comments have arrived; fails when an event or the end of the
    /// response comes first. A later <see cref="NextAsync(CancellationToken)"/> continues from there.
    /// </summary>
    public async Task WaitForCommentsBeforeAnyEventAsync(int count, CancellationToken cancellationToken)
    {
        var move = _pending ??= _items.MoveNextAsync().AsTask();
        var comments = _body.WaitForAsync(count, cancellationToken);
        if (await Task.WhenAny(comments, move) == move && !comments.IsCompleted)
        {
            var what = await move ? $"the event {_items.Current.Data}" : "the end of the response";
            throw new InvalidOperationException($"{what} came after {Comments} of the {count} comments expected before it");
        }

        await comments;
    }

    /// <summary>Every event up to the end of the response.</summary>
    public async Task<List<SseEvent>> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var events = new List<SseEvent>();
        while (await NextAsync(cancellationToken) is { } e)
        {
            events.Add(e);
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _response.Dispose();
        if (_pending is { } pending)
        {
            // The read ends with the response; its failure is the expected outcome of leaving early.
            await pending.ContinueWith(static t => t.Exception, TaskScheduler.Default);
        }
        else
        {
            await _items.DisposeAsync();
        }

        _body.Dispose();
        _disposed.Dispose();
    }
}
