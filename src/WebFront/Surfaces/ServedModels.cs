using Router.Grains.Options;

namespace Router.WebFront.Surfaces;

/// <summary>
/// The models a client may name on any surface: <c>auto</c> (the classifier picks) and every model
/// the router has a backend for (<c>Ollama:Models</c>, <c>Upstreams</c>). Model listings read only this.
/// </summary>
public sealed class ServedModels
{
    public const string Auto = "auto";

    private readonly ServedModel[] _backed;

    public ServedModels(IConfiguration configuration)
    {
        // Read from configuration rather than the silo's options: a web front that is only a client
        // of a cluster never registers them, and binding them a second time on a co-hosted silo would
        // duplicate the list. OllamaOptions keeps the one default.
        var ollama = configuration.GetSection(OllamaOptions.SectionName).Get<OllamaOptions>() ?? new OllamaOptions();
        var upstreams = new List<UpstreamOptions>();
        configuration.GetSection(UpstreamsOptions.SectionName).Bind(upstreams);
        _backed =
        [
            .. ollama.EffectiveModels.Select(m => new ServedModel(m, "ollama")),
            .. upstreams.Where(u => !string.IsNullOrWhiteSpace(u.Name)).Select(u => new ServedModel(u.Name, "openai-compatible")),
        ];
        _backed = [.. _backed.DistinctBy(m => m.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary><c>auto</c> first, then the models with a backend, as configured.</summary>
    public IEnumerable<string> All => Models.Select(m => m.Name);

    /// <summary>The same, with how each is served: <c>router</c> (auto), <c>ollama</c> or <c>openai-compatible</c>.</summary>
    public IEnumerable<ServedModel> Models => _backed.Prepend(new ServedModel(Auto, "router"));

    /// <summary>The served name a client's name refers to (Ollama's <c>:latest</c> tag is implied), or null.</summary>
    public string? Find(string name)
    {
        var bare = name.EndsWith(":latest", StringComparison.OrdinalIgnoreCase) ? name[..^":latest".Length] : name;
        if (string.Equals(bare, Auto, StringComparison.OrdinalIgnoreCase)) return Auto;
        return _backed.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(m.Name, bare, StringComparison.OrdinalIgnoreCase))?.Name;
    }
}

/// <summary>A model name and the kind of backend serving it.</summary>
public sealed record ServedModel(string Name, string Kind);
