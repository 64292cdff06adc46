using Router.Grains.Interfaces;
using Router.WebFront.Spend;

namespace Router.WebFront.Completions;

/// <summary>What a flow tells the request's bill and its log row (<see cref="RequestAccounting"/>).</summary>
public sealed partial class CompletionFlow
{
    private RequestTally? _tally;

    private RequestTally Tally => _tally ??= _core.Accounting.NewTally();

    /// <summary>What the answer cost, once it ended with figures (its done item, or a failure that carried them).</summary>
    public RequestCost? Cost => _tally?.Cost;

    /// <summary>True for a flow that picked up an answer another flow began.</summary>
    internal bool IsResume => _resumed;

    private RequestCost? Priced(string model, CompletionSummary? summary) => _core.Accounting.Price(Tally, model, summary);
}
