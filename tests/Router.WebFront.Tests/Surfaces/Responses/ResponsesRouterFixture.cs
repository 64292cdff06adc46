using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI.Responses;
using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.Responses;

/// <summary>
/// A router serving three simulated Ollama models: <c>llama3.2</c> calls tools, <c>llava</c> sees
/// images, <c>deepseek-r1</c> thinks. Users are named by <c>X-User-Id</c> (Open mode).
/// </summary>
public sealed class ResponsesRouterFixture : RouterFixture
{
    public const string ToolsModel = "llama3.2";
    public const string VisionModel = "llava";
    public const string ThinkingModel = "deepseek-r1";

    protected override void ConfigureSimulator(SimulatorOptions options) => options.Models = [ToolsModel, VisionModel, ThinkingModel];

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Ollama:Models:0"] = ToolsModel;
        settings["Ollama:Models:1"] = VisionModel;
        settings["Ollama:Models:2"] = ThinkingModel;
    }

    /// <summary>The official Responses client for <paramref name="userId"/>.</summary>
    public ResponsesClient Client(string userId)
    {
        var options = new ResponsesClientOptions { Endpoint = new Uri(Router.BaseUrl, "/v1"), NetworkTimeout = Timeouts.Event };
        options.AddPolicy(new UserHeaderPolicy(userId), PipelinePosition.PerCall);
        return new ResponsesClient(new ApiKeyCredential("unused"), options);
    }

    /// <summary>Names the user of every request, as a client of a router in Open mode does.</summary>
    private sealed class UserHeaderPolicy(string userId) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("X-User-Id", userId);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("X-User-Id", userId);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ResponsesRouterCollection : ICollectionFixture<ResponsesRouterFixture>
{
    public const string Name = "router for the Responses API";
}
