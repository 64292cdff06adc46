using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>Which Ollama endpoint a call came in on; it decides the shape of every line written back.</summary>
public enum OllamaOperation
{
    Chat,
    Generate,
}

/// <summary>A validated <c>/api/chat</c> or <c>/api/generate</c> body, in the routing core's terms.</summary>
/// <param name="Model">The model the client named; <c>auto</c> routes through the classifier.</param>
/// <param name="Message">
/// The text the classifier routes on: the last user message (chat) or the prompt (generate). Null for
/// Ollama's load request (no messages, no prompt), which clients send to warm a model up: it is
/// answered at once and generates nothing.
/// </param>
/// <param name="Input">The whole conversation the model gets, with tools and format; null for a load request.</param>
/// <param name="Stream">Ollama streams unless the client sends <c>"stream": false</c>.</param>
public sealed record OllamaCall(
    OllamaOperation Operation,
    string Model,
    string? Message,
    ModelInput? Input,
    GenerationSettings? Settings,
    bool Stream);
