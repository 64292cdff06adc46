using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Router.Classifier.Service.Diagnostics;

/// <summary>The classifier service's metrics, all on the <c>Router.Classifier</c> meter.</summary>
public sealed class ClassifierInstruments
{
    public const string MeterName = "Router.Classifier";

    private readonly Counter<long> _classifications;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _rejected;

    public ClassifierInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _classifications = meter.CreateCounter<long>(
            "router.classifier.classifications", unit: "{classification}", description: "Messages classified, by category and chosen model.");
        _duration = meter.CreateHistogram<double>(
            "router.classifier.duration", unit: "ms", description: "Time spent classifying one message in-process.");
        _rejected = meter.CreateCounter<long>(
            "router.classifier.rejected", unit: "{request}", description: "Requests rejected as bad input, by reason.");
    }

    public void Classified(string category, string model, double elapsedMilliseconds)
    {
        var tags = new TagList { { "router.category", category }, { "router.model", model } };
        _classifications.Add(1, tags);
        _duration.Record(elapsedMilliseconds, tags);
    }

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("router.reason", reason));
}
