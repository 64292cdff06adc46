using Microsoft.Extensions.Options;
using Router.Grains.Interfaces;

namespace Router.WebFront.Spend;

/// <summary>What an answer cost, in <see cref="Currency"/>.</summary>
/// <param name="Amount">Exact to <see cref="PriceList.Decimals"/> places; kept in <see cref="decimal"/> end to end.</param>
/// <param name="Priced">False when the model has no price: the amount is 0.</param>
/// <param name="Estimated">True when a token count behind it is the router's own estimate, not the backend's.</param>
public sealed record RequestCost(decimal Amount, string Currency, bool Priced, bool Estimated);

/// <summary>The prices of <see cref="PricingOptions"/>, applied to an answer's token counts.</summary>
public sealed class PriceList
{
    /// <summary>
    /// Costs are rounded to this many places, the resolution the request log stores (10^-10 of the
    /// currency: prices with up to four decimals per million tokens stay exact per token).
    /// </summary>
    public const int Decimals = 10;

    private const decimal PerMillion = 1_000_000m;

    private readonly Dictionary<string, ModelPrice> _prices;

    public PriceList(IOptions<PricingOptions> options)
    {
        Currency = options.Value.Currency;
        _prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, price) in options.Value.Models) _prices[price.Model ?? key] = price;
        _dearestInput = _prices.Values.Select(p => p.Input ?? 0m).DefaultIfEmpty(0m).Max();
        _dearestOutput = _prices.Values.Select(p => p.Output ?? 0m).DefaultIfEmpty(0m).Max();
    }

    private readonly decimal _dearestInput;
    private readonly decimal _dearestOutput;

    public string Currency { get; }

    /// <summary>Whether <paramref name="model"/> has a price.</summary>
    public bool IsPriced(string model) => _prices.ContainsKey(model);

    /// <summary>
    /// The cost of <paramref name="prompt"/> input tokens (of which <paramref name="cached"/> came from
    /// the backend's cache) and <paramref name="output"/> output tokens on <paramref name="model"/>.
    /// </summary>
    public RequestCost Cost(string model, long? prompt, long? output, long? cached, bool estimated)
    {
        if (!_prices.TryGetValue(model, out var price)) return new RequestCost(0m, Currency, Priced: false, estimated);
        var input = Math.Max(0, prompt ?? 0);
        var fromCache = price.CachedInput is null ? 0 : Math.Clamp(cached ?? 0, 0, input);
        var amount = ((input - fromCache) * price.Input!.Value
            + fromCache * (price.CachedInput ?? 0m)
            + Math.Max(0, output ?? 0) * price.Output!.Value) / PerMillion;
        return new RequestCost(Math.Round(amount, Decimals, MidpointRounding.ToEven), Currency, Priced: true, estimated);
    }

    /// <summary>
    /// What a budget reservation counts for <paramref name="promptTokens"/> on <paramref name="model"/>:
    /// the prompt's cost and one output token's, at full input price (a cache may only make it cheaper).
    /// With no model named yet (<c>auto</c>: the classifier chooses later) the dearest priced input
    /// and output are counted, so whichever model is chosen the reservation covers it.
    /// </summary>
    public (decimal PromptCost, decimal OutputTokenCost) Reservation(string? model, long promptTokens)
    {
        decimal input, output;
        if (model is not null)
        {
            if (!_prices.TryGetValue(model, out var price)) return (0m, 0m);
            (input, output) = (price.Input ?? 0m, price.Output ?? 0m);
        }
        else
        {
            (input, output) = (_dearestInput, _dearestOutput);
        }

        return (Math.Max(0, promptTokens) * input / PerMillion, output / PerMillion);
    }

    /// <summary>The cost of an answer's figures.</summary>
    public RequestCost Cost(string model, CompletionSummary summary) =>
        Cost(model, summary.PromptTokens, summary.OutputTokens, summary.CachedInputTokens, summary.TokensEstimated);
}
