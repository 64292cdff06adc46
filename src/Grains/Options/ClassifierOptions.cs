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

    /// <summary>The optional judge tier for the in-process classifier's least certain prompts (section <c>Classifier:Judge</c>).</summary>
    public ClassifierJudgeOptions Judge { get; set; } = new();
}

/// <summary>
/// A small local instruct model, through Ollama, asked to pick the category when the in-process classifier is unsure.
/// Off unless <see cref="Model"/> is set.
/// </summary>
public sealed class ClassifierJudgeOptions
{
    /// <summary>The Ollama model that judges (for example a small instruct model); unset: no judge.</summary>
    public string? Model { get; set; }

    /// <summary>The Ollama server the judge runs on.</summary>
    public Uri Url { get; set; } = new("http://localhost:11434");

    /// <summary>The judge is asked when the classifier's calibrated confidence is below this.</summary>
    public double Below { get; set; } = 0.5;

    /// <summary>How long the judge may take; after it the classifier's own answer stands.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
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
        var judge = options.Judge;
        if (judge.Model is { } j && string.IsNullOrWhiteSpace(j)) failures.Add("Classifier:Judge:Model must not be blank.");
        if (!judge.Url.IsAbsoluteUri || (judge.Url.Scheme != Uri.UriSchemeHttp && judge.Url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"Classifier:Judge:Url must be an absolute http(s) URL, got '{judge.Url}'.");
        }

        if (judge.Below is < 0 or > 1 || double.IsNaN(judge.Below)) failures.Add("Classifier:Judge:Below must be between 0 and 1.");
        if (judge.Timeout <= TimeSpan.Zero) failures.Add("Classifier:Judge:Timeout must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
