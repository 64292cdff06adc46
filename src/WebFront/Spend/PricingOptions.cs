using Microsoft.Extensions.Options;

namespace Router.WebFront.Spend;

/// <summary>
/// Prices of the served models (configuration section <c>Pricing</c>):
/// <c>Pricing:Models:&lt;model&gt;:Input</c>, <c>:Output</c> and <c>:CachedInput</c>, each per million
/// tokens in <c>Pricing:Currency</c>. A model without an entry costs 0 and is marked unpriced.
/// </summary>
public sealed class PricingOptions
{
    public const string SectionName = "Pricing";

    /// <summary>The currency every price and cost is in (an ISO 4217 code).</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>Prices by model name (Ollama models, upstreams and aliases alike), case-insensitive.</summary>
    public Dictionary<string, ModelPrice> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Spend and token metrics also carry the key id (one series per key: allow it only for a bounded number of keys).</summary>
    public bool MetricsByKey { get; set; }
}

/// <summary>A model's prices per million tokens.</summary>
public sealed class ModelPrice
{
    /// <summary>
    /// The model's name when it cannot be a configuration key (it holds a <c>:</c>, as Ollama's tags do):
    /// <c>Pricing:Models:llama3-8b:Model=llama3:8b</c>. Unset: the entry's key is the name.
    /// </summary>
    public string? Model { get; set; }

    public decimal? Input { get; set; }

    public decimal? Output { get; set; }

    /// <summary>Prompt tokens served from the backend's cache; unset: they cost <see cref="Input"/>.</summary>
    public decimal? CachedInput { get; set; }
}

/// <summary>Checks <see cref="PricingOptions"/> at start-up, naming the setting at fault.</summary>
public sealed class PricingOptionsValidator : IValidateOptions<PricingOptions>
{
    /// <summary>Prices above this per million tokens are taken for a typing error.</summary>
    public const decimal MaxPrice = 1_000_000m;

    public ValidateOptionsResult Validate(string? name, PricingOptions options)
    {
        var failures = new List<string>();
        if (options.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
        {
            failures.Add($"Pricing:Currency must be a three-letter ISO 4217 code in capitals, such as USD (it is '{options.Currency}').");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, price) in options.Models)
        {
            var setting = $"Pricing:Models:{key}";
            if (price.Input is null || price.Output is null) failures.Add($"{setting} needs both Input and Output (per million tokens).");
            Check(failures, $"{setting}:Input", price.Input);
            Check(failures, $"{setting}:Output", price.Output);
            Check(failures, $"{setting}:CachedInput", price.CachedInput);
            if (price.Model is { } model && string.IsNullOrWhiteSpace(model)) failures.Add($"{setting}:Model must not be blank.");
            if (!names.Add(price.Model ?? key)) failures.Add($"{setting} prices model '{price.Model ?? key}' a second time.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string setting, decimal? value)
    {
        if (value is < 0 or > MaxPrice) failures.Add($"{setting} must be between 0 and {MaxPrice} per million tokens (it is {value}).");
    }
}
