using Microsoft.Extensions.Options;

namespace Router.Grains.Options;

/// <summary>
/// What each served model can do. Ollama models report it themselves (<c>/api/show</c>); what is set
/// here under <c>Capabilities:Models:&lt;model&gt;</c> adds to or overrides that, and for upstreams it
/// is the only source.
/// </summary>
public sealed class CapabilitiesOptions
{
    public const string SectionName = "Capabilities";

    /// <summary>Per model (its name without a tag): the capabilities set here win over what the backend reports.</summary>
    public Dictionary<string, ModelCapabilityOverrides> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long what an Ollama server reported about a model is kept before it is asked again.</summary>
    public TimeSpan CacheTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long to wait for <c>/api/show</c> before routing as if the model could do nothing extra.</summary>
    public TimeSpan ShowTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>One model's capabilities as configured; null leaves what the backend reports (or, for upstreams, the default).</summary>
public sealed class ModelCapabilityOverrides
{
    public bool? Tools { get; set; }

    public bool? Vision { get; set; }

    public bool? Thinking { get; set; }

    public bool? StructuredOutput { get; set; }

    public int? ContextLength { get; set; }
}

public sealed class CapabilitiesOptionsValidator : IValidateOptions<CapabilitiesOptions>
{
    public ValidateOptionsResult Validate(string? name, CapabilitiesOptions options)
    {
        if (options.CacheTime <= TimeSpan.Zero) return ValidateOptionsResult.Fail("Capabilities:CacheTime must be positive.");
        if (options.ShowTimeout <= TimeSpan.Zero) return ValidateOptionsResult.Fail("Capabilities:ShowTimeout must be positive.");
        foreach (var (model, o) in options.Models)
        {
            if (o.ContextLength is <= 0) return ValidateOptionsResult.Fail($"Capabilities:Models:{model}:ContextLength must be positive.");
        }

        return ValidateOptionsResult.Success;
    }
}
