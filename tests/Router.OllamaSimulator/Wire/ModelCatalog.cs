using System.Security.Cryptography;
using System.Text;

namespace Router.OllamaSimulator.Wire;

/// <summary>Resolves model names the way Ollama does (no tag means <c>:latest</c>) and describes them for <c>/api/tags</c> and <c>/api/show</c>.</summary>
internal static class ModelCatalog
{
    private static readonly DateTimeOffset ModifiedAt = new(2025, 9, 1, 12, 0, 0, TimeSpan.Zero);

    public static string Normalize(string name)
    {
        var trimmed = name.Trim();
        return trimmed.Contains(':', StringComparison.Ordinal) ? trimmed : trimmed + ":latest";
    }

    public static bool IsKnown(SimulatorOptions options, string requested)
    {
        var wanted = Normalize(requested);
        foreach (var model in options.EffectiveModels)
        {
            if (string.Equals(Normalize(model), wanted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static TagsBody Describe(SimulatorOptions options) =>
        new([.. options.EffectiveModels.Select(m => Describe(options, m))]);

    internal static TagModel Describe(SimulatorOptions options, string configured)
    {
        var name = Normalize(configured);
        var traits = ModelTraits.For(options, name);
        var family = traits.Family;
        return new TagModel(name, name, ModifiedAt, traits.Size, Digest(name), new TagModelDetails(string.Empty, "gguf", family, [family], traits.ParameterSize, "Q4_K_M"));
    }

    internal static DateTimeOffset Modified => ModifiedAt;

    private static string Digest(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
}
