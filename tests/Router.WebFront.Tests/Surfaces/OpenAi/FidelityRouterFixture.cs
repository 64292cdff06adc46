using System.ClientModel;
using OpenAI;
using OpenAI.Chat;

namespace Router.WebFront.Tests.Surfaces.OpenAi;

/// <summary>
/// A router serving models of every capability, on Ollama and on OpenAI-compatible upstreams (the
/// simulator's <c>/v1</c>), so each fidelity case runs against both kinds of backend.
/// </summary>
public sealed class FidelityRouterFixture : RouterFixture
{
    /// <summary>Ollama models: tools, thinking, vision (the simulator's defaults for these names).</summary>
    public const string OllamaTools = "llama3.2";
    public const string OllamaThinking = "deepseek-r1";
    public const string OllamaVision = "llava";

    /// <summary>Upstream models: tools (<see cref="RouterFixture.UpstreamModel"/>, qwen2.5-coder), thinking with tools (qwen3), vision (gemma3).</summary>
    public const string UpstreamThinking = "thinker-upstream";
    public const string UpstreamVision = "vision-upstream";

    protected override void Configure(IDictionary<string, string?> settings)
    {
        Simulator.Configure(o => o.Models = ["llama3.2", "qwen2.5-coder", "deepseek-r1", "llava", "qwen3", "gemma3"]);
        settings["Ollama:Models:0"] = OllamaTools;
        settings["Ollama:Models:1"] = OllamaThinking;
        settings["Ollama:Models:2"] = OllamaVision;
        settings["Upstreams:1:Name"] = UpstreamThinking;
        settings["Upstreams:1:BaseUrl"] = Simulator.OpenAIBaseUrl.ToString();
        settings["Upstreams:1:Model"] = "qwen3";
        settings["Upstreams:2:Name"] = UpstreamVision;
        settings["Upstreams:2:BaseUrl"] = Simulator.OpenAIBaseUrl.ToString();
        settings["Upstreams:2:Model"] = "gemma3";
    }

    /// <summary>The official OpenAI client for a model, pointed at the router.</summary>
    public ChatClient Client(string model) => new(model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(Router.BaseUrl, "/v1") });
}

[CollectionDefinition(Name)]
public sealed class FidelityRouterCollection : ICollectionFixture<FidelityRouterFixture>
{
    public const string Name = "router with models of every capability";
}
