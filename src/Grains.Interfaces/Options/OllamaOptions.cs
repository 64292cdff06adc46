using Microsoft.Extensions.Options;

namespace Router.Grains.Options;

/// <summary>Where Ollama is and which models it serves (configuration section <c>Ollama</c>).</summary>
public sealed class OllamaOptions
{
    public const string SectionName = "Ollama";

    /// <summary>Base URL of the Ollama server; ignored when <see cref="Endpoints"/> is set.</summary>
    public Uri BaseUrl { get; set; } = new("http://localhost:11434");

    /// <summary>Several Ollama servers (replicas) serving every Ollama model; when set it replaces <see cref="BaseUrl"/>.</summary>
    public List<Uri> Endpoints { get; set; } = [];

    /// <summary>
    /// Replicas of one model (key: the model's name without its tag), for models that live on other
    /// servers than the rest; a model without an entry uses <see cref="Endpoints"/> (or <see cref="BaseUrl"/>).
    /// </summary>
    public Dictionary<string, List<Uri>> ModelEndpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Models that stream from Ollama; any other model gets the standard response.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>How long to wait for the first token (a cold model load can take a while); with replicas, per replica tried.</summary>
    public TimeSpan FirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a started stream may stay silent before it counts as stalled.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Replicas one request may try before its first token; unset: every replica of its model once.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>Limit on all tries of one request together, until its first token; unset: <see cref="FirstTokenTimeout"/> times the tries.</summary>
    public TimeSpan? FailoverDeadline { get; set; }

    /// <summary>How long a failed replica stays out before its first probe; each failed probe doubles it.</summary>
    public TimeSpan ProbeBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between two probes of a failed replica.</summary>
    public TimeSpan MaxProbeBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Ollama models, with the default when none are configured.</summary>
    public IReadOnlyList<string> EffectiveModels => Models.Count > 0 ? Models : DefaultModels;

    /// <summary>The replicas every Ollama model without an entry in <see cref="ModelEndpoints"/> uses.</summary>
    public IReadOnlyList<Uri> EffectiveEndpoints => Endpoints.Count > 0 ? Endpoints : [BaseUrl];

    /// <summary>The replicas of <paramref name="model"/> (its name without a tag).</summary>
    public IReadOnlyList<Uri> EndpointsFor(string model) =>
        ModelEndpoints.TryGetValue(model, out var own) && own.Count > 0 ? own : EffectiveEndpoints;

    /// <summary>Tries allowed for a request to a model with <paramref name="replicas"/> replicas.</summary>
    public int AttemptsFor(int replicas) => MaxAttempts ?? replicas;

    /// <summary>The first-token deadline of a request with <paramref name="attempts"/> tries.</summary>
    public TimeSpan FailoverDeadlineFor(int attempts) => FailoverDeadline ?? FirstTokenTimeout * attempts;

    private static readonly string[] DefaultModels = ["llama3.2"];
}

/// <summary>Checks <see cref="OllamaOptions"/> at start-up.</summary>
public sealed class OllamaOptionsValidator : IValidateOptions<OllamaOptions>
{
    public ValidateOptionsResult Validate(string? name, OllamaOptions options)
    {
        var failures = new List<string>();
        CheckUrl(failures, "Ollama:BaseUrl", options.BaseUrl);
        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            CheckUrl(failures, $"Ollama:Endpoints:{i}", options.Endpoints[i]);
        }

        foreach (var (model, endpoints) in options.ModelEndpoints)
        {
            if (!options.EffectiveModels.Contains(model, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"Ollama:ModelEndpoints:{model} names a model that is not in Ollama:Models.");
            }

            for (var i = 0; i < endpoints.Count; i++)
            {
                CheckUrl(failures, $"Ollama:ModelEndpoints:{model}:{i}", endpoints[i]);
            }
        }

        if (options.FirstTokenTimeout <= TimeSpan.Zero) failures.Add("Ollama:FirstTokenTimeout must be positive.");
        if (options.IdleTimeout <= TimeSpan.Zero) failures.Add("Ollama:IdleTimeout must be positive.");
        if (options.MaxAttempts < 1) failures.Add("Ollama:MaxAttempts must be at least 1.");
        if (options.FailoverDeadline <= TimeSpan.Zero) failures.Add("Ollama:FailoverDeadline must be positive.");
        if (options.ProbeBackoff <= TimeSpan.Zero) failures.Add("Ollama:ProbeBackoff must be positive.");
        if (options.MaxProbeBackoff < options.ProbeBackoff) failures.Add("Ollama:MaxProbeBackoff must not be shorter than Ollama:ProbeBackoff.");
        if (options.Models.Any(string.IsNullOrWhiteSpace)) failures.Add("Ollama:Models must not contain empty names.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(List<string> failures, string setting, Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{setting} must be an absolute http(s) URL, got '{url}'.");
        }
    }
}
