using Anthropic;
using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.Anthropic;

/// <summary>
/// A router serving <c>llama3.2</c> (tools, the classifier's choice for conversation), <c>qwen3</c>
/// (tools and thinking) and <c>llava</c> (vision), with the aliases an Anthropic-API agent needs:
/// <c>claude-*</c> → <c>auto</c>, <c>claude-opus-*</c> → <c>qwen3</c>.
/// </summary>
public sealed class AnthropicRouterFixture : RouterFixture
{
    /// <summary>A model name an Anthropic client sends that routes through the classifier.</summary>
    public const string AutoAlias = "claude-sonnet-4-5";

    /// <summary>A model name an Anthropic client sends that goes to <c>qwen3</c>.</summary>
    public const string ThinkingAlias = "claude-opus-4-1";

    protected override void ConfigureSimulator(SimulatorOptions options) => options.Models = ["llama3.2", "qwen3", "llava"];

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Ollama:Models:0"] = "llama3.2";
        settings["Ollama:Models:1"] = "qwen3";
        settings["Ollama:Models:2"] = "llava";
        settings["Models:Aliases:claude-*"] = "auto";
        settings["Models:Aliases:claude-opus-*"] = "qwen3";
    }

    /// <summary>The official client pointed at the router; no retries, so a refusal is seen as sent, and strict response validation.</summary>
    public AnthropicClient Client(string apiKey = "sk-ant-not-checked-in-open-mode") => new()
    {
        BaseUrl = Router.BaseUrl.ToString().TrimEnd('/'),
        ApiKey = apiKey,
        MaxRetries = 0,
        ResponseValidation = true,
        Timeout = Timeouts.Event,
    };
}

[CollectionDefinition(Name)]
public sealed class AnthropicRouterCollection : ICollectionFixture<AnthropicRouterFixture>
{
    public const string Name = "router for Anthropic clients";
}
