using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Router.Grains.Diagnostics;

namespace Router.Grains.Tests.Replicas;

/// <summary>
/// Listens to the router's replica instruments of every silo in this process and lets a test await a
/// measurement for one endpoint (other clusters run in parallel; their replicas have other ports).
/// </summary>
public sealed class BackendMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, string Endpoint, string? Label, long Value)> _seen = new();
    private readonly ConcurrentDictionary<Waiter, byte> _waiters = new();

    public BackendMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RouterInstruments.MeterName && instrument.Name.StartsWith("router.backend.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Sum of the values of <paramref name="instrument"/> for <paramref name="endpoint"/> so far.</summary>
    public long Total(string instrument, string endpoint, string? label = null) =>
        _seen.Where(m => m.Instrument == instrument && m.Endpoint == endpoint && (label is null || m.Label == label)).Sum(m => m.Value);

    /// <summary>Completes when (or if already) a measurement of <paramref name="instrument"/> for <paramref name="endpoint"/> with that label was taken.</summary>
    public async Task WaitForAsync(string instrument, string endpoint, string label, TimeSpan timeout, string phase)
    {
        var waiter = new Waiter(instrument, endpoint, label);
        _waiters.TryAdd(waiter, 0);
        try
        {
            if (_seen.Any(waiter.Matches)) return;
            await waiter.Seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{phase}: no {instrument} {label} for {endpoint} within {timeout}.");
        }
        finally
        {
            _waiters.TryRemove(waiter, out _);
        }
    }

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? endpoint = null;
        string? label = null;
        foreach (var tag in tags)
        {
            if (tag.Key == RouterInstruments.EndpointTag) endpoint = tag.Value as string;
            else label = tag.Value?.ToString();
        }

        if (endpoint is null) return;
        var measurement = (instrument.Name, endpoint, label ?? value.ToString(System.Globalization.CultureInfo.InvariantCulture), value);
        _seen.Enqueue(measurement);
        foreach (var waiter in _waiters.Keys)
        {
            if (waiter.Matches(measurement)) waiter.Seen.TrySetResult();
        }
    }

    public void Dispose() => _listener.Dispose();

    // A class, not a record: two waiters for the same measurement must both be kept.
    private sealed class Waiter(string instrument, string endpoint, string label)
    {
        public string Instrument { get; } = instrument;

        public string Endpoint { get; } = endpoint;

        public string Label { get; } = label;

        public TaskCompletionSource Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Matches((string Instrument, string Endpoint, string? Label, long Value) m) =>
            m.Instrument == Instrument && m.Endpoint == Endpoint && m.Label == Label;
    }
}
