using OllamaSharp;
using OllamaSharp.Models;
using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>The router's <c>/api/generate</c> and model endpoints as the real OllamaSharp client sees them.</summary>
[Collection(RouterCollection.Name)]
public sealed class OllamaClientGenerateTests(RouterFixture fixture)
{
    private OllamaApiClient Client(string user) => OllamaClients.For(fixture, user);

    [Fact]
    public async Task A_streamed_auto_generate_relays_the_backend_text_and_counters()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new GenerateRequest { Model = "auto", System = "Be terse.", Prompt = $"Explain NDJSON {nonce} [[sim:tokens=6,tps=100]]", Stream = true };

        var lines = await OllamaClients.GenerateAsync(Client("sven"), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        var done = Assert.IsType<GenerateDoneResponseStream>(lines[^1]);
        Assert.True(lines.Count >= 3, $"expected several streamed lines, got {lines.Count}");
        Assert.All(lines[..^1], l => Assert.False(l!.Done));
        Assert.Equal(simulated.Text, string.Concat(lines.Select(l => l!.Response)));
        Assert.All(lines, l => Assert.Equal("llama3.2", l!.Model));

        // The system prompt travels with the prompt.
        Assert.Equal(OllamaClients.Words([request.System, request.Prompt]), simulated.PromptEvalCount);
        Assert.Equal(simulated.PromptEvalCount, done.PromptEvalCount);
        Assert.Equal(6, done.EvalCount);
    }

    [Fact]
    public async Task A_generate_with_a_named_model_and_stream_false_is_one_object_with_the_whole_text()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new GenerateRequest { Model = "llama3.2", Prompt = $"Once {nonce} [[sim:tokens=4]]", Stream = false };

        var lines = await OllamaClients.GenerateAsync(Client("tara"), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        var done = Assert.IsType<GenerateDoneResponseStream>(Assert.Single(lines));
        Assert.Equal(simulated.Text, done.Response);
        Assert.Equal(simulated.PromptEvalCount, done.PromptEvalCount);
        Assert.Equal(4, done.EvalCount);
    }

    [Fact]
    public async Task The_model_list_shows_auto_and_the_served_models()
    {
        var models = (await Client("ulla").ListLocalModelsAsync(Timeouts.Token())).Select(m => m.Name).ToList();

        Assert.Equal(["auto", "llama3.2", RouterFixture.UpstreamModel], models);
    }

    [Fact]
    public async Task Show_describes_a_served_model_and_refuses_an_unknown_one()
    {
        var client = Client("vera");
        var shown = await client.ShowModelAsync(new ShowModelRequest { Model = "llama3.2" }, Timeouts.Token());
        Assert.NotNull(shown.Details);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.ShowModelAsync(new ShowModelRequest { Model = "mistral" }, Timeouts.Token()));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task The_version_is_the_routers()
    {
        var version = await Client("walt").GetVersionAsync(Timeouts.Token());

        Assert.Matches(@"^\d+\.\d+\.\d+", version);
    }
}
