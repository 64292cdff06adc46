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
    }

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

    /// <summary>The cost of an answer's figures.</summary>
    public RequestCost Cost(string model, CompletionSummary summary) =>
        Cost(model, summary.PromptTokens, summary.OutputTokens, summary.CachedInputTokens, summary.TokensEstimated);
}
