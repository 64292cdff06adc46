using Microsoft.Extensions.Options;
using Router.WebFront.Completions;

namespace Router.WebFront.Options;

/// <summary>
/// Names clients may send besides the served ones (configuration section <c>Models</c>), so an agent
/// configured for a hosted model routes through the router unchanged.
/// </summary>
public sealed class ModelsOptions
{
    public const string SectionName = "Models";

    /// <summary>
    /// Alias → target: a key is a client's model name, where <c>*</c> stands for any run of characters
    /// (<c>claude-*</c>); a value is a served model or <c>auto</c>. Keys are configuration keys, so they
    /// cannot hold <c>:</c> (<c>Models:Aliases:claude-*=auto</c>, <c>Models:Aliases:gpt-5*=qwen2.5-coder</c>).
    /// Matching ignores case; see <see cref="ServedModels.Resolve"/> for the precedence.
    /// </summary>
    public Dictionary<string, string> Aliases { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Checks <see cref="ModelsOptions"/> at start-up against the models the router serves.</summary>
public sealed class ModelsOptionsValidator(IConfiguration configuration) : IValidateOptions<ModelsOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelsOptions options)
    {
        var served = ServedModels.BackedNames(configuration).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var failures = new List<string>();
        foreach (var (alias, target) in options.Aliases)
        {
            var at = $"{ModelsOptions.SectionName}:Aliases:{alias}";
            if (string.IsNullOrWhiteSpace(alias) || alias.Trim('*').Length == 0 && alias != "*")
            {
                failures.Add($"{at}: an alias needs a name or pattern.");
            }
            else if (string.Equals(alias, ServedModels.Auto, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{at}: 'auto' is the router's own name and cannot be an alias.");
            }
            else if (!alias.Contains('*') && served.Contains(alias))
            {
                failures.Add($"{at}: '{alias}' is a served model; a served name is always used as named, so this alias would never apply.");
            }

            if (string.IsNullOrWhiteSpace(target))
            {
                failures.Add($"{at} must name a served model or 'auto'.");
            }
            else if (!string.Equals(target, ServedModels.Auto, StringComparison.OrdinalIgnoreCase) && !served.Contains(target))
            {
                failures.Add($"{at} targets '{target}', which is not served (Ollama:Models, Upstreams) and not 'auto'; served: {string.Join(", ", served)}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
