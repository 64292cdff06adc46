using System.Diagnostics.Metrics;
using Router.WebFront.Diagnostics;

namespace Router.WebFront.Spend;

/// <summary>Spend, billed tokens and the request log's health, on the router's meter.</summary>
public sealed class SpendInstruments
{
    private readonly Counter<double> _spend;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _rowsWritten;
    private long _rowsDropped;
    private long _writeFailures;

    private readonly bool _byKey;

    public SpendInstruments(IMeterFactory meterFactory, Microsoft.Extensions.Options.IOptions<PricingOptions> pricing)
    {
        _byKey = pricing.Value.MetricsByKey;
        var meter = meterFactory.Create(WebFrontInstruments.MeterName);
        _spend = meter.CreateCounter<double>("router.spend", unit: "{currency}", description: "What answers cost, in Pricing:Currency, by model (and key, where allowed).");
        _tokens = meter.CreateCounter<long>("router.billed_tokens", unit: "{token}", description: "Tokens billed, by model and kind: prompt, output, cached (and key, where allowed).");
        _rowsWritten = meter.CreateCounter<long>("router.request_log.rows", description: "Rows written to the request log.");
        // The failure counts are observed, so their series exist (at zero) before the first failure:
        // a dashboard or alert sees "none yet", not nothing.
        meter.CreateObservableCounter("router.request_log.dropped", () => Interlocked.Read(ref _rowsDropped),
            description: "Rows the request log dropped: its buffer was full while the database was slow or down.");
        meter.CreateObservableCounter("router.request_log.write_failures", () => Interlocked.Read(ref _writeFailures),
            description: "Failed writes to the request log's database (each is retried).");
        meter.CreateObservableGauge("router.request_log.buffered", () => Buffered(), description: "Rows waiting for the request log's database.");
    }

    /// <summary>The request log buffer's fill level, observed when metrics are collected.</summary>
    internal Func<int> Buffered { get; set; } = static () => 0;

    public void Billed(string model, string? keyId, RequestCost cost, long prompt, long output, long cached)
    {
        var modelTag = new KeyValuePair<string, object?>("router.model", model);
        var keyTag = new KeyValuePair<string, object?>("router.key", keyId ?? "");
        var currency = new KeyValuePair<string, object?>("router.currency", cost.Currency);
        var withKey = _byKey && keyId is not null;
        if (cost.Amount != 0) Add(_spend, (double)cost.Amount, withKey, modelTag, keyTag, currency);
        if (prompt > 0) Add(_tokens, prompt - cached, withKey, modelTag, keyTag, new("router.token_kind", "prompt"));
        if (cached > 0) Add(_tokens, cached, withKey, modelTag, keyTag, new("router.token_kind", "cached"));
        if (output > 0) Add(_tokens, output, withKey, modelTag, keyTag, new("router.token_kind", "output"));
    }

    public void RowsWritten(int rows) => _rowsWritten.Add(rows);

    public void RowDropped() => Interlocked.Increment(ref _rowsDropped);

    public void WriteFailed() => Interlocked.Increment(ref _writeFailures);

    private static void Add<T>(Counter<T> counter, T value, bool withKey, KeyValuePair<string, object?> model, KeyValuePair<string, object?> key, KeyValuePair<string, object?> kind)
        where T : struct
    {
        if (withKey) counter.Add(value, model, kind, key);
        else counter.Add(value, model, kind);
    }
}
