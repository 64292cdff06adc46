using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Router.Grains.Diagnostics;

namespace Router.Grains.Tests.Generation;

/// <summary>One measurement of a replica instrument; <see cref="Source"/> is the meter, so each silo's are told apart.</summary>
public sealed record BackendMeasurement(long Sequence, object Source, string Instrument, string Endpoint, string Label, long Value);

/// <summary>
/// Listens to the router's replica instruments of every silo in this process and lets a test await a
/// measurement for one endpoint (other clusters run in parallel; their replicas have other ports).
/// Observable instruments (<c>router.backend.healthy</c>) are read every 50 ms while a test waits.
/// </summary>
public sealed class BackendMeter : IDisposable
{
    private static readonly TimeSpan ObservePeriod = TimeSpan.FromMilliseconds(50);
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<BackendMeasurement> _seen = new();
    private long _sequence;

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

    public IReadOnlyCollection<BackendMeasurement> Seen => _seen.ToArray();

    /// <summary>Sum of the values of a counter for <paramref name="endpoint"/> so far (with that reason or result, if given).</summary>
    public long Total(string instrument, string endpoint, string? label = null) =>
        _seen.Where(m => m.Instrument == instrument && m.Endpoint == endpoint && (label is null || m.Label == label)).Sum(m => m.Value);

    /// <summary>Completes with the first measurement of <paramref name="instrument"/> for <paramref name="endpoint"/> with that label.</summary>
    public Task<BackendMeasurement> WaitForAsync(string instrument, string endpoint, string label, TimeSpan timeout, string phase) =>
        WaitForAsync(m => m.Instrument == instrument && m.Endpoint == endpoint && m.Label == label, timeout, $"{phase}: no {instrument} {label} for {endpoint}");

    /// <summary>Completes with the first measurement (taken so far or later) that matches; polls observable instruments meanwhile.</summary>
    public async Task<BackendMeasurement> WaitForAsync(Func<BackendMeasurement, bool> match, TimeSpan timeout, string phase)
    {
        using var timer = new PeriodicTimer(ObservePeriod);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                _listener.RecordObservableInstruments();
                if (_seen.FirstOrDefault(match) is { } found) return found;
                await timer.WaitForNextTickAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{phase} within {timeout}.");
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
        _seen.Enqueue(new(Interlocked.Increment(ref _sequence), instrument.Meter, instrument.Name, endpoint, label ?? value.ToString(System.Globalization.CultureInfo.InvariantCulture), value));
    }

    public void Dispose() => _listener.Dispose();
}
