using Microsoft.Extensions.Options;

namespace Router.Grains.Options;

/// <summary>Where Ollama is and which models it serves (configuration section <c>Ollama</c>).</summary>
public sealed class OllamaOptions
{
    public const string SectionName = "Ollama";

    /// <summary>Base URL of the Ollama server.</summary>
    public Uri BaseUrl { get; set; } = new("http://localhost:11434");

    /// <summary>Models that stream from Ollama; any other model gets the standard response.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>How long to wait for the first token (a cold model load can take a while).</summary>
    public TimeSpan FirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a started stream may stay silent before it counts as stalled.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Ollama models, with the default when none are configured.</summary>
    public IReadOnlyList<string> EffectiveModels => Models.Count > 0 ? Models : DefaultModels;

    private static readonly string[] DefaultModels = ["llama3.2"];
}

/// <summary>Checks <see cref="OllamaOptions"/> at start-up.</summary>
public sealed class OllamaOptionsValidator : IValidateOptions<OllamaOptions>
{
    public ValidateOptionsResult Validate(string? name, OllamaOptions options)
    {
        var failures = new List<string>();
        if (!options.BaseUrl.IsAbsoluteUri || (options.BaseUrl.Scheme != Uri.UriSchemeHttp && options.BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"Ollama:BaseUrl must be an absolute http(s) URL, got '{options.BaseUrl}'.");
        }

        if (options.FirstTokenTimeout <= TimeSpan.Zero) failures.Add("Ollama:FirstTokenTimeout must be positive.");
        if (options.IdleTimeout <= TimeSpan.Zero) failures.Add("Ollama:IdleTimeout must be positive.");
        if (options.Models.Any(string.IsNullOrWhiteSpace)) failures.Add("Ollama:Models must not contain empty names.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
