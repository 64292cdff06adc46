using Router.Grains.Options;

namespace Router.WebFront.Surfaces;

/// <summary>
/// The model names the router answers for, read from the same settings the silos use
/// (<c>Ollama:Models</c>, <c>Upstreams</c>), so a web front that is only a client of the cluster
/// lists them too. <c>auto</c> comes first: it routes through the classifier.
/// </summary>
public sealed class ServedModels(IConfiguration configuration)
{
    public const string Auto = "auto";

    /// <summary>Every name with how it is served: <c>router</c> (auto), <c>ollama</c> or <c>openai-compatible</c>.</summary>
    public IReadOnlyList<(string Name, string Kind)> All { get; } = Read(configuration);

    private static List<(string, string)> Read(IConfiguration configuration)
    {
        var ollama = configuration.GetSection(OllamaOptions.SectionName).Get<OllamaOptions>() ?? new OllamaOptions();
        var upstreams = new List<UpstreamOptions>();
        configuration.GetSection(UpstreamsOptions.SectionName).Bind(upstreams);
        var all = new List<(string, string)> { (Auto, "router") };
        all.AddRange(ollama.EffectiveModels.Select(m => (m, "ollama")));
        all.AddRange(upstreams.Where(u => !string.IsNullOrWhiteSpace(u.Name)).Select(u => (u.Name, "openai-compatible")));
        return all;
    }
}
