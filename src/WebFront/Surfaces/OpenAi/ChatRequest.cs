using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>A <c>POST /v1/chat/completions</c> body, read whole.</summary>
/// <param name="Model">The model asked for; <c>auto</c> routes through the classifier.</param>
/// <param name="Message">The text the classifier routes on: the last user message that has text.</param>
/// <param name="Input">The whole conversation, the tools, the tool choice and the output format, as the model gets them.</param>
/// <param name="Settings">Sampling and reasoning settings; null when the client set none.</param>
internal sealed record ChatRequest(
    string Model,
    string Message,
    ModelInput Input,
    bool Stream,
    bool IncludeUsage,
    GenerationSettings? Settings)
{
    public const string AutoModel = "auto";

    /// <summary>The model for the core: null lets the classifier choose.</summary>
    public string? NamedModel => string.Equals(Model, AutoModel, StringComparison.OrdinalIgnoreCase) ? null : Model;
}
