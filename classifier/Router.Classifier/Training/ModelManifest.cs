using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Router.Classifier.Data;

namespace Router.Classifier.Training;

/// <summary>
/// Records what produced a saved model: pipeline version, trainer, a hash of the training data, and the
/// temperatures that calibrate each tier's scores (fitted on out-of-fold predictions of the training data).
/// </summary>
public sealed record ModelManifest(
    int PipelineVersion,
    string Trainer,
    int Prompts,
    string TrainingDataSha256,
    double NgramTemperature = 1,
    double HybridTemperature = 1,
    double EmbeddingWeight = 1,
    string EmbeddingKind = Embedding.EmbeddingKinds.Transformer,
    int FollowUps = 0,
    int CalibrationPrompts = 0)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static ModelManifest For(IReadOnlyCollection<LabelledPrompt> prompts, PromptTrainerKind trainer) =>
        new(PromptModelTrainer.PipelineVersion, trainer.ToString(), prompts.Count, Hash(prompts));

    /// <summary>Hash of the parsed content, so line endings and blank lines do not matter.</summary>
    public static string Hash(IEnumerable<LabelledPrompt> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var text = new StringBuilder();
        foreach (var prompt in prompts)
        {
            text.Append(LabelledPromptFile.Escape(prompt.Message)).Append('\t').Append(prompt.Category).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The manifest path for a model path: <c>model.zip</c> → <c>model.manifest.json</c>.</summary>
    public static string PathFor(string modelPath) => Path.ChangeExtension(modelPath, ".manifest.json");

    /// <summary>The second-tier (n-grams and embedding) model beside a model path: <c>model.zip</c> → <c>model.hybrid.zip</c>.</summary>
    public static string HybridPathFor(string modelPath) => Path.ChangeExtension(modelPath, ".hybrid.zip");

    /// <summary>The follow-up detector beside a model path: <c>model.zip</c> → <c>model.followup.zip</c>.</summary>
    public static string FollowUpPathFor(string modelPath) => Path.ChangeExtension(modelPath, ".followup.zip");

    /// <summary>The follow-up detector that reads the embedding too: <c>model.zip</c> → <c>model.followup.hybrid.zip</c>.</summary>
    public static string FollowUpWithEmbeddingPathFor(string modelPath) => Path.ChangeExtension(modelPath, ".followup.hybrid.zip");

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    public static ModelManifest Read(Stream stream) =>
        JsonSerializer.Deserialize<ModelManifest>(stream) ?? throw new InvalidDataException("Empty model manifest.");
}
