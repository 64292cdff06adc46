using Microsoft.Extensions.Options;

namespace Router.Grains.Options;

/// <summary>
/// Models served by OpenAI-compatible servers (configuration section <c>Upstreams</c>, a list:
/// <c>Upstreams:0:Name</c>, <c>Upstreams:0:BaseUrl</c>, ...). A list rather than a dictionary because
/// model names may hold the configuration separator <c>:</c> (<c>qwen2.5:7b</c>).
/// </summary>
public sealed class UpstreamsOptions
{
    public const string SectionName = "Upstreams";

    public List<UpstreamOptions> Models { get; } = [];
}

/// <summary>One model served by an OpenAI-compatible server.</summary>
public sealed class UpstreamOptions
{
    /// <summary>The model name clients and the classifier use.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The API root that <c>chat/completions</c> lives under, e.g. <c>https://api.example.com/v1</c>.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The bearer key; takes precedence over <see cref="ApiKeyEnv"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The environment variable holding the key, so the key stays out of configuration files.</summary>
    public string? ApiKeyEnv { get; set; }

    /// <summary>The model name the upstream server knows; defaults to <see cref="Name"/>.</summary>
    public string? Model { get; set; }

    public string EffectiveModel => string.IsNullOrWhiteSpace(Model) ? Name : Model;

    /// <summary>The key to send, or null when the server needs none.</summary>
    public string? ResolveApiKey() =>
        !string.IsNullOrEmpty(ApiKey) ? ApiKey
        : !string.IsNullOrWhiteSpace(ApiKeyEnv) ? Environment.GetEnvironmentVariable(ApiKeyEnv) is { Length: > 0 } key ? key : null
        : null;
}

/// <summary>Checks <see cref="UpstreamsOptions"/> at start-up; a name may not also be an Ollama model.</summary>
public sealed class UpstreamsOptionsValidator(IOptions<OllamaOptions> ollama) : IValidateOptions<UpstreamsOptions>
{
    public ValidateOptionsResult Validate(string? name, UpstreamsOptions options)
    {
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ollamaModels = new HashSet<string>(ollama.Value.EffectiveModels, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Models.Count; i++)
        {
            var upstream = options.Models[i];
            var at = $"{UpstreamsOptions.SectionName}:{i}";
            if (string.IsNullOrWhiteSpace(upstream.Name))
            {
                failures.Add($"{at}:Name must be set.");
            }
            else if (!seen.Add(upstream.Name))
            {
                failures.Add($"{at}:Name '{upstream.Name}' is configured more than once.");
            }
            else if (ollamaModels.Contains(upstream.Name))
            {
                failures.Add($"{at}:Name '{upstream.Name}' is also listed in Ollama:Models; a model has one backend.");
            }

            if (upstream.BaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{at}:BaseUrl must be an absolute http(s) URL, got '{upstream.BaseUrl}'.");
            }

            if (!string.IsNullOrWhiteSpace(upstream.ApiKeyEnv) && string.IsNullOrEmpty(upstream.ApiKey) && upstream.ResolveApiKey() is null)
            {
                failures.Add($"{at}:ApiKeyEnv names the environment variable '{upstream.ApiKeyEnv}', which is not set.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
