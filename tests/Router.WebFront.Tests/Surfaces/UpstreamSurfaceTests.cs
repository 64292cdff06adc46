using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using Router.OllamaSimulator;
using Router.Testing;
using Router.WebFront.Tests.Surfaces.Ollama;

namespace Router.WebFront.Tests.Surfaces;

/// <summary>A model on an OpenAI-compatible upstream, reached through each surface.</summary>
[Collection(RouterCollection.Name)]
public sealed class UpstreamSurfaceTests(RouterFixture fixture)
{
    [Fact]
    public async Task The_seed_surface_streams_an_upstream_model()
    {
        var nonce = Guid.NewGuid().ToString("N");
        await using var sse = await SseClient.PostAsync(fixture.Http, $"code {nonce} [[classify:model={RouterFixture.UpstreamModel}]] [[sim:tokens=6]]", "up-seed", Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);

        Assert.Equal(SimulatedEndpoint.ChatCompletions, simulated.Endpoint);
        Assert.Equal("qwen2.5-coder", simulated.Model);
        Assert.True(events[^1].IsDone);
        Assert.All(events, e => Assert.Equal(RouterFixture.UpstreamModel, e.Data.GetProperty("model").GetString()));
        Assert.Equal(simulated.Text, string.Concat(events.Where(e => !e.IsDone).Select(e => e.Message)));
        Assert.Equal(6, events[^1].Data.GetProperty("output_tokens").GetInt64());
    }

    [Fact]
    public async Task The_openai_surface_streams_an_upstream_model_named_by_the_client()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var client = new ChatClient(RouterFixture.UpstreamModel, new ApiKeyCredential("unused"),
            new OpenAIClientOptions { Endpoint = new Uri(fixture.Router.BaseUrl, "/v1") });
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage($"code {nonce} [[sim:tokens=9]]")], new ChatCompletionOptions { Temperature = 0.25f }))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            usage ??= update.Usage;
        }

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedEndpoint.ChatCompletions, simulated.Endpoint);
        Assert.Equal(simulated.Text, text.ToString());
        Assert.Equal(9, usage?.OutputTokenCount);
        Assert.Equal(0.25, simulated.Parameters.Temperature);
    }

    [Fact]
    public async Task The_ollama_surface_streams_an_upstream_model_named_by_the_client()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new OllamaSharp.Models.Chat.ChatRequest
        {
            Model = RouterFixture.UpstreamModel,
            Messages = [new OllamaSharp.Models.Chat.Message(OllamaSharp.Models.Chat.ChatRole.User, $"code {nonce} [[sim:tokens=5]]")],
            Stream = true,
        };
        var text = new System.Text.StringBuilder();
        OllamaSharp.Models.Chat.ChatDoneResponseStream? done = null;
        await foreach (var chunk in OllamaClients.For(fixture, "up-ollama").ChatAsync(request, Timeouts.Token()))
        {
            text.Append(chunk?.Message?.Content);
            done ??= chunk as OllamaSharp.Models.Chat.ChatDoneResponseStream;
        }

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedEndpoint.ChatCompletions, simulated.Endpoint);
        Assert.Equal(simulated.Text, text.ToString());
        Assert.Equal(5, done?.EvalCount);
        Assert.Equal(RouterFixture.UpstreamModel, done?.Model);
    }
}
