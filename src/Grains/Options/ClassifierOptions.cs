using Microsoft.Extensions.Options;

namespace Router.Grains.Options;

/// <summary>How the router picks a model (configuration section <c>Classifier</c>).</summary>
public sealed class ClassifierOptions
{
    public const string SectionName = "Classifier";

    /// <summary>The classifier service endpoint; when unset, the classifier runs in-process.</summary>
    public Uri? Url { get; set; }

    /// <summary>How long one call to the classifier service may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The model used when the classifier fails; when unset, the request gets an error.</summary>
    public string? FallbackModel { get; set; }

    /// <summary>How long a classification stays cached.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many classifications each silo keeps at most.</summary>
    public int CacheSize { get; set; } = 10_000;
}

/// <summary>Checks <see cref="ClassifierOptions"/> at start-up.</summary>
public sealed class ClassifierOptionsValidator : IValidateOptions<ClassifierOptions>
{
    public ValidateOptionsResult Validate(string? name, ClassifierOptions options)
    {
        var failures = new List<string>();
        if (options.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"Classifier:Url must be an absolute http(s) URL, got '{url}'.");
        }

        if (options.Timeout <= TimeSpan.Zero) failures.Add("Classifier:Timeout must be positive.");
        if (options.CacheTtl < TimeSpan.Zero) failures.Add("Classifier:CacheTtl must not be negative.");
        if (options.CacheSize < 1) failures.Add("Classifier:CacheSize must be at least 1.");
        if (options.FallbackModel is { } m && string.IsNullOrWhiteSpace(m)) failures.Add("Classifier:FallbackModel must not be blank.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
