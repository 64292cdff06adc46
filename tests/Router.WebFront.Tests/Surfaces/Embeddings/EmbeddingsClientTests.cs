using OllamaSharp.Models;
using OpenAI.Embeddings;
using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.Embeddings;

/// <summary>The official clients embed through the router, on an Ollama model and on an upstream, and get the backend's vectors.</summary>
[Collection(EmbeddingsRouterCollection.Name)]
public sealed class EmbeddingsClientTests(EmbeddingsRouterFixture fixture)
{
    [Fact]
    public async Task OllamaSharp_embeds_on_an_Ollama_model()
    {
        var key = await fixture.CreateKeyAsync();

        var response = await fixture.Ollama(key).EmbedAsync(new EmbedRequest
        {
            Model = EmbeddingsRouterFixture.OllamaModel,
            Input = ["a first text to embed", "a second one"],
            KeepAlive = "5m",
            Truncate = true,
        }, Timeouts.Token());

        Assert.Equal(2, response.Embeddings.Count);
        Assert.Equal(EmbeddingVector.For(EmbeddingsRouterFixture.OllamaModel, "a first text to embed"), response.Embeddings[0]);
        Assert.Equal(EmbeddingVector.For(EmbeddingsRouterFixture.OllamaModel, "a second one"), response.Embeddings[1]);
        Assert.True(response.PromptEvalCount > 0, "prompt_eval_count is passed on");
    }

    [Fact]
    public async Task OllamaSharp_embeds_on_an_upstream_with_dimensions()
    {
        var key = await fixture.CreateKeyAsync();

        var response = await fixture.Ollama(key).EmbedAsync(new EmbedRequest
        {
            Model = EmbeddingsRouterFixture.EmbedUpstream,
            Input = ["upstream text"],
            Dimensions = 16,
        }, Timeouts.Token());

        Assert.Equal(EmbeddingVector.For(EmbeddingsRouterFixture.EmbedUpstreamModel, "upstream text", 16), Assert.Single(response.Embeddings));
    }

    [Fact]
    public async Task The_OpenAI_client_embeds_on_an_Ollama_model_named_by_an_alias()
    {
        var key = await fixture.CreateKeyAsync();
        var client = fixture.OpenAi(key).GetEmbeddingClient(EmbeddingsRouterFixture.Alias);

        var result = await client.GenerateEmbeddingsAsync(["alias text one", "alias text two"], cancellationToken: Timeouts.Token());

        Assert.Equal(2, result.Value.Count);
        Assert.Equal(EmbeddingVector.For(EmbeddingsRouterFixture.OllamaModel, "alias text one"), result.Value[0].ToFloats().ToArray());
        Assert.Equal(EmbeddingVector.For(EmbeddingsRouterFixture.OllamaModel, "alias text two"), result.Value[1].ToFloats().ToArray());
    }

    [Fact]
    public async Task The_OpenAI_client_embeds_on_an_upstream_with_dimensions()
    {
        var key = await fixture.CreateKeyAsync();
        var client = fixture.OpenAi(key).GetEmbeddingClient(EmbeddingsRouterFixture.EmbedUpstream);

        var result = await client.GenerateEmbeddingAsync("one upstream text", new EmbeddingGenerationOptions { Dimensions = 12 }, Timeouts.Token());

        Assert.Equal(EmbeddingVector.For(EmbeddingsRouterFixture.EmbedUpstreamModel, "one upstream text", 12), result.Value.ToFloats().ToArray());
    }
}
