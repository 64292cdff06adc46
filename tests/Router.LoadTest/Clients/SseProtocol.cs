using System.Diagnostics;
using System.Net.ServerSentEvents;

namespace Router.LoadTest.Clients;

/// <summary>
/// The router's server-sent events, read with the framework's <see cref="SseParser"/>: an <c>error</c>
/// event or an item with <c>error</c> ends the request as failed, <c>done: true</c> as done.
/// </summary>
internal sealed class SseProtocol(RequestRecord record, IStreamObserver observer) : StreamProtocol(record, observer)
{
    public override async Task<bool> ReadAsync(Stream body, CancellationToken ct)
    {
        // Each event's JSON is read while the parser still holds its bytes; only a malformed one is copied.
        var parser = SseParser.Create(body, static (_, data) => StreamEvent.TryParse(data, out var e) ? new Item(e, null) : new Item(default, data.ToArray()));
        await foreach (var item in parser.EnumerateAsync(ct).ConfigureAwait(false))
        {
            var now = Stopwatch.GetTimestamp();
            var terminal = item.Data.Malformed is { } raw ? Malformed(raw, now) : Apply(item.Data.Event, item.EventType == "error", now);
            if (terminal) return true;
        }

        return false;
    }

    private readonly record struct Item(StreamEvent Event, byte[]? Malformed);
}
