using System.Diagnostics.Metrics;

namespace Router.WebFront.Diagnostics;

/// <summary>Request-level metrics of the web front.</summary>
public sealed class WebFrontInstruments
{
    /// <summary>Same meter name as the silo side, so one subscription sees the whole router.</summary>
    public const string MeterName = "Router";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _openStreams;
    private readonly Counter<long> _orphanItems;

    public WebFrontInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("router.requests", description: "Completion requests, by model and outcome.");
        _errors = meter.CreateCounter<long>("router.errors", description: "Failed requests, by error code.");
        _timeToFirstToken = meter.CreateHistogram<double>("router.time_to_first_token", unit: "ms", description: "From request received to the first token written.");
        _duration = meter.CreateHistogram<double>("router.request.duration", unit: "ms", description: "From request received to the stream's end.");
        _openStreams = meter.CreateUpDownCounter<long>("router.streams.open", description: "Answer streams currently open.");
        _orphanItems = meter.CreateCounter<long>("router.lanes.orphan_items", description: "Lane items for a request no longer open here (it ended or its client left).");
    }

    public void StreamOpened() => _openStreams.Add(1);

    public void OrphanItem() => _orphanItems.Add(1);

    public void StreamClosed() => _openStreams.Add(-1);

    public void FirstToken(string model, double milliseconds) =>
        _timeToFirstToken.Record(milliseconds, new KeyValuePair<string, object?>("router.model", model));

    public void RequestEnded(string model, string outcome, string? errorCode, double milliseconds)
    {
        var modelTag = new KeyValuePair<string, object?>("router.model", model);
        _requests.Add(1, modelTag, new KeyValuePair<string, object?>("router.outcome", outcome));
        _duration.Record(milliseconds, modelTag);
        if (errorCode is not null)
        {
            _errors.Add(1, new KeyValuePair<string, object?>("router.error_code", errorCode));
        }
    }
}
