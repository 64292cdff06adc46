using System.Text.Json;
using OllamaSharp.Models;
using OpenAI.Embeddings;

namespace Router.OllamaSimulator.Tests.Models;

/// <summary><c>/api/embed</c> and <c>/v1/embeddings</c> answer deterministic vectors and journal their inputs.</summary>
public sealed class EmbeddingTests : SimulatorTestBase
{
    protected override SimulatorOptions CreateOptions()
    {
        var options = base.CreateOptions();
        options.Models = ["llama3.2", "nomic-embed-text"];
        return options;
    }

    [Fact]
    public async Task Ollama_embed_answers_one_unit_vector_per_input()
    {
        using var client = CreateClient("nomic-embed-text");
        var response = await client.EmbedAsync(new EmbedRequest { Model = "nomic-embed-text", Input = ["alpha text", "beta"] });

        Assert.Equal(2, response.Embeddings.Count);
        Assert.Equal(EmbeddingVector.For("nomic-embed-text", "alpha text"), response.Embeddings[0]);
        Assert.Equal(EmbeddingVector.For("nomic-embed-text", "beta"), response.Embeddings[1]);
        Assert.Equal(1.0, Math.Sqrt(response.Embeddings[0].Sum(v => (double)v * v)), 3);
        Assert.NotEqual(response.Embeddings[0], response.Embeddings[1]);
        Assert.Equal(3, response.PromptEvalCount);

        var recorded = await Journal.WaitForMessageAsync("alpha text", Timeout);
        Assert.Equal(SimulatedEndpoint.Embed, recorded.Endpoint);
        Assert.Equal(["alpha text", "beta"], recorded.Content.Inputs);
        Assert.Equal(SimulatedOutcome.Completed, recorded.Outcome);
    }

    [Fact]
    public async Task OpenAI_embeddings_answer_the_list_shape_as_floats_and_base64()
    {
        var (status, body) = await PostAsync("/v1/embeddings", """{"model":"nomic-embed-text","input":"one two","dimensions":12}""");
        Assert.Equal(200, status);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("list", root.GetProperty("object").GetString());
        var item = Assert.Single(root.GetProperty("data").EnumerateArray());
        Assert.Equal(("embedding", 0), (item.GetProperty("object").GetString(), item.GetProperty("index").GetInt32()));
        Assert.Equal(EmbeddingVector.For("nomic-embed-text", "one two", 12), item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal(2, root.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());

        var client = new EmbeddingClient("nomic-embed-text", new System.ClientModel.ApiKeyCredential("unused"), new global::OpenAI.OpenAIClientOptions { Endpoint = Simulator.OpenAIBaseUrl });
        OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("via client");
        Assert.Equal(EmbeddingVector.For("nomic-embed-text", "via client"), embedding.ToFloats().ToArray());
        Assert.Equal(SimulatedEndpoint.Embeddings, (await Journal.WaitForMessageAsync("via client", Timeout)).Endpoint);
    }

    [Fact]
    public async Task Embedding_with_a_chat_model_or_without_input_is_a_400()
    {
        var (status, body) = await PostAsync("/api/embed", """{"model":"llama3.2","input":"x"}""");
        Assert.Equal(400, status);
        Assert.Equal("""{"error":"\"llama3.2\" does not support embeddings"}""", body);

        (status, body) = await PostAsync("/v1/embeddings", """{"model":"nomic-embed-text"}""");
        Assert.Equal(400, status);
        Assert.Contains("input is required", body, StringComparison.Ordinal);
    }
}
