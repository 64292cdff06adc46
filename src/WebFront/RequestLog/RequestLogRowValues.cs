namespace Router.WebFront.RequestLog;

/// <summary>Takes a row's values one column at a time, in <see cref="RequestLogSchema.Columns"/> order.</summary>
internal interface IRequestLogValueSink
{
    void Long(long? value);

    void Double(double? value);

    void Text(string? value);

    void Bool(bool value);
}

/// <summary>
/// The one place a row becomes column values: every way of writing rows goes through it, so a new
/// field is one line here, one name in <see cref="RequestLogSchema.Columns"/> and a migration. Values
/// are handed over typed, so a writer that binds them natively boxes and allocates nothing per row.
/// </summary>
internal static class RequestLogRowValues
{
    public static void Write<TSink>(RequestLogRow r, TSink sink) where TSink : IRequestLogValueSink
    {
        sink.Long(r.TimeMs);
        sink.Text(r.RequestId);
        sink.Text(r.Surface);
        sink.Text(r.KeyId);
        sink.Text(r.UserId);
        sink.Text(r.ModelRequested);
        sink.Text(r.Model);
        sink.Text(r.Category);
        sink.Double(r.Confidence);
        sink.Text(r.Tier);
        sink.Text(r.RoutingReason);
        sink.Long(r.PromptTokens);
        sink.Long(r.OutputTokens);
        sink.Long(r.CachedTokens);
        sink.Long((long)(r.Cost * RequestLogSchema.CostScale));
        sink.Bool(r.CostEstimated);
        sink.Text(r.Currency);
        sink.Double(r.TtftMs);
        sink.Long(r.DurationMs);
        sink.Text(r.Outcome);
        sink.Text(r.ErrorCode);
        sink.Text(r.WebFront);
        sink.Text(r.Silo);
        sink.Text(r.TraceId);
        sink.Text(r.Prompt);
        sink.Text(r.Answer);
    }
}
