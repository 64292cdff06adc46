using Router.Grains.Options;
using Router.WebFront.Options;

namespace Router.WebFront.Completions;

/// <summary>
/// The models a client may name on any surface: <c>auto</c> (the classifier picks), every model
/// the router has a backend for (<c>Ollama:Models</c>, <c>Upstreams</c>), and the aliases of
/// <c>Models:Aliases</c> that map other names to one of those. Model listings read only this.
/// </summary>
public sealed class ServedModels
{
    public const string Auto = "auto";

    private readonly ServedModel[] _backed;
    private readonly ModelAlias[] _aliases;

    public ServedModels(IConfiguration configuration)
    {
        _backed = [.. Backed(configuration).DistinctBy(m => m.Name, StringComparer.OrdinalIgnoreCase)];

        // Bound here as well as by the validated options: a bad alias has already failed start-up.
        var options = configuration.GetSection(ModelsOptions.SectionName).Get<ModelsOptions>() ?? new ModelsOptions();
        _aliases = [.. options.Aliases
            .Select(a => new ModelAlias(a.Key, Find(a.Value) ?? a.Value))
            .OrderBy(a => a.IsPattern)
            .ThenByDescending(a => a.LiteralLength)
            .ThenBy(a => a.Pattern, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The names of the models with a backend, as configured (for validating aliases at start-up).</summary>
    public static IEnumerable<string> BackedNames(IConfiguration configuration) => Backed(configuration).Select(m => m.Name);

    // Read from configuration rather than the silo's options: a web front that is only a client
    // of a cluster never registers them, and binding them a second time on a co-hosted silo would
    // duplicate the list. OllamaOptions keeps the one default.
    private static IEnumerable<ServedModel> Backed(IConfiguration configuration)
    {
        var ollama = configuration.GetSection(OllamaOptions.SectionName).Get<OllamaOptions>() ?? new OllamaOptions();
        var upstreams = new List<UpstreamOptions>();
        configuration.GetSection(UpstreamsOptions.SectionName).Bind(upstreams);
        return
        [
            .. ollama.EffectiveModels.Select(m => new ServedModel(m, "ollama")),
            .. upstreams.Where(u => !string.IsNullOrWhiteSpace(u.Name)).Select(u => new ServedModel(u.Name, "openai-compatible")),
        ];
    }

    /// <summary><c>auto</c> first, then the models with a backend, as configured.</summary>
    public IEnumerable<string> All => Models.Select(m => m.Name);

    /// <summary>The same, with how each is served: <c>router</c> (auto), <c>ollama</c> or <c>openai-compatible</c>.</summary>
    public IEnumerable<ServedModel> Models => _backed.Prepend(new ServedModel(Auto, "router"));

    /// <summary>The aliases, in the order they are tried (exact names, then patterns, most specific first).</summary>
    public IReadOnlyList<ModelAlias> Aliases => _aliases;

    /// <summary>
    /// What a model listing shows: <see cref="Models"/>, then each alias with kind <c>alias</c> and its
    /// target in <see cref="ServedModel.AliasOf"/> (a pattern is listed as written, <c>claude-*</c>).
    /// </summary>
    public IEnumerable<ServedModel> Listing => Models.Concat(_aliases.Select(a => new ServedModel(a.Pattern, "alias", a.Target)));

    /// <summary>The served name a client's name refers to (Ollama's <c>:latest</c> tag is implied), or null. Aliases are not applied: see <see cref="Resolve"/>.</summary>
    public string? Find(string name)
    {
        var bare = Bare(name);
        if (string.Equals(bare, Auto, StringComparison.OrdinalIgnoreCase)) return Auto;
        return _backed.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(m.Name, bare, StringComparison.OrdinalIgnoreCase))?.Name;
    }

    /// <summary>
    /// What a model name a client sent means, on any surface: a served name (or <c>auto</c>) as
    /// named; otherwise the first alias that matches — exact aliases before patterns, then the
    /// pattern with the most literal characters, then by pattern text — tried with the name as sent
    /// and without Ollama's <c>:latest</c>. Null when nothing matches: the surface answers its 404.
    /// </summary>
    public ModelResolution? Resolve(string name)
    {
        if (Find(name) is { } served) return new ModelResolution(served, null);
        var bare = Bare(name);
        foreach (var alias in _aliases)
        {
            if (alias.Matches(name) || alias.Matches(bare)) return new ModelResolution(alias.Target, alias.Pattern);
        }

        return null;
    }

    private static string Bare(string name) => name.EndsWith(":latest", StringComparison.OrdinalIgnoreCase) ? name[..^":latest".Length] : name;
}

/// <summary>A model name and the kind of backend serving it; for an alias, the model it stands for.</summary>
public sealed record ServedModel(string Name, string Kind, string? AliasOf = null);

/// <summary>What a client's model name resolved to.</summary>
/// <param name="Served">A served model's name, or <c>auto</c>.</param>
/// <param name="Alias">The alias (name or pattern) that matched; null when the client named a served model.</param>
public sealed record ModelResolution(string Served, string? Alias)
{
    /// <summary>The model for <see cref="Completions.CompletionCommand.Model"/>: null for <c>auto</c> (the classifier picks).</summary>
    public string? Model => string.Equals(Served, ServedModels.Auto, StringComparison.OrdinalIgnoreCase) ? null : Served;
}

/// <summary>One alias: a client's name or a pattern with <c>*</c> wildcards, and its target.</summary>
public sealed record ModelAlias(string Pattern, string Target)
{
    private readonly string[] _pieces = Pattern.Split('*');

    public bool IsPattern => _pieces.Length > 1;

    /// <summary>How many characters the pattern fixes: the more, the more specific.</summary>
    public int LiteralLength => Pattern.Length - (_pieces.Length - 1);

    /// <summary>True when <paramref name="name"/> matches, ignoring case; <c>*</c> matches any run of characters, none included.</summary>
    public bool Matches(string name)
    {
        if (!IsPattern) return string.Equals(name, Pattern, StringComparison.OrdinalIgnoreCase);
        var first = _pieces[0];
        var last = _pieces[^1];
        if (name.Length < first.Length + last.Length
            || !name.StartsWith(first, StringComparison.OrdinalIgnoreCase)
            || !name.EndsWith(last, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // The middle pieces in order, each as early as it can be (greedy from the left is exact for '*' alone).
        var at = first.Length;
        var end = name.Length - last.Length;
        for (var i = 1; i < _pieces.Length - 1; i++)
        {
            var found = name.IndexOf(_pieces[i], at, end - at, StringComparison.OrdinalIgnoreCase);
            if (found < 0) return false;
            at = found + _pieces[i].Length;
        }

        return true;
    }
}
