using Router.Grains.Options;

namespace Router.WebFront.Surfaces;

/// <summary>
/// The models a client may name on any surface: <c>auto</c> (the classifier picks) and every model
/// the router has a backend for. Model listings (<c>/api/tags</c>, <c>/api/show</c>) read only this.
/// </summary>
public sealed class ServedModels
{
    public const string Auto = "auto";

    private readonly string[] _backed;

    public ServedModels(IConfiguration configuration)
    {
        // Read from configuration rather than IOptions<OllamaOptions>: a web front that is only a
        // client of a cluster never registers the silo's options, and binding them a second time on a
        // co-hosted silo would duplicate the list. OllamaOptions keeps the one default.
        var ollama = configuration.GetSection(OllamaOptions.SectionName).Get<OllamaOptions>() ?? new OllamaOptions();
        _backed = [.. ollama.EffectiveModels.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary><c>auto</c> first, then the models with a backend, as configured.</summary>
    public IEnumerable<string> All => _backed.Prepend(Auto);

    /// <summary>The served name a client's name refers to (Ollama's <c>:latest</c> tag is implied), or null.</summary>
    public string? Find(string name)
    {
        var bare = name.EndsWith(":latest", StringComparison.OrdinalIgnoreCase) ? name[..^":latest".Length] : name;
        if (string.Equals(bare, Auto, StringComparison.OrdinalIgnoreCase)) return Auto;
        return _backed.FirstOrDefault(m => string.Equals(m, name, StringComparison.OrdinalIgnoreCase) || string.Equals(m, bare, StringComparison.OrdinalIgnoreCase));
    }
}
