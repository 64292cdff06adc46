using System.Text;
using Router.Grains.Interfaces;

namespace Router.WebFront.Spend;

/// <summary>
/// What one request's flow saw that its bill and its log row need: what it relayed (the router's own
/// count when no figures come), the figures it ended with and their cost, and (only when an operator
/// keeps text in the log) the answer's text.
/// </summary>
public sealed class RequestTally(bool keepText)
{
    private readonly StringBuilder? _answer = keepText ? new StringBuilder() : null;

    /// <summary>Characters of text, thinking and tool calls relayed to the client.</summary>
    public long RelayedChars { get; private set; }

    /// <summary>The figures the answer ended with (a done item, or a failure that carried them).</summary>
    public CompletionSummary? Summary { get; private set; }

    /// <summary>The cost of <see cref="Summary"/>; null until the answer ended with figures.</summary>
    public RequestCost? Cost { get; private set; }

    public string? Answer => _answer?.ToString();

    public void Relayed(CompletionEvent chunk)
    {
        RelayedChars += chunk.PayloadChars;
        _answer?.Append(chunk.Text);
    }

    internal RequestCost? End(CompletionSummary? summary, RequestCost? cost)
    {
        if (summary is null) return Cost;
        Summary = summary;
        return Cost = cost;
    }
}
