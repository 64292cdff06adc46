using System.Security.Cryptography;
using System.Text;

namespace Router.OllamaSimulator.Wire;

/// <summary>Resolves model names the way Ollama does (no tag means <c>:latest</c>) and describes them for <c>/api/tags</c>.</summary>
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
        new([.. options.EffectiveModels.Select(Describe)]);

    private static TagModel Describe(string configured)
    {
        var name = Normalize(configured);
        var baseName = name[..name.IndexOf(':', StringComparison.Ordinal)];
        var (family, parameters, size) = baseName switch
        {
            "llama3.2" => ("llama", "3.2B", 2_019_393_189L),
            "qwen2.5-coder" => ("qwen2", "7.6B", 4_683_087_332L),
            "deepseek-r1" => ("qwen2", "7.6B", 4_683_087_561L),
            _ => (new string([.. baseName.TakeWhile(char.IsLetter)]) is { Length: > 0 } f ? f : "llama", "7B", 4_000_000_000L),
        };
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        return new TagModel(name, name, ModifiedAt, size, digest, new TagModelDetails(string.Empty, "gguf", family, [family], parameters, "Q4_K_M"));
    }
}
