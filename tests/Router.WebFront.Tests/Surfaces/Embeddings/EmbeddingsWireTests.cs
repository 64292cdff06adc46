using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.Embeddings;

/// <summary>The answers' wire shapes, pinned as OpenAI and Ollama document them.</summary>
[Collection(EmbeddingsRouterCollection.Name)]
public sealed class EmbeddingsWireTests(EmbeddingsRouterFixture fixture)
{
    [Fact]
    public async Task OpenAIs_float_answer_has_the_list_shape_and_usage()
    {
        var key = await fixture.CreateKeyAsync();

        var (status, body, response) = await fixture.PostAsync("/v1/embeddings", key,
            """{"model":"nomic-embed-text","input":["alpha","beta"],"encoding_format":"float","user":"someone"}""");
        response.Dispose();

        Assert.Equal(200, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal("nomic-embed-text", body.GetProperty("model").GetString());
        var data = body.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal("embedding", data[1].GetProperty("object").GetString());
        Assert.Equal(1, data[1].GetProperty("index").GetInt32());
        Assert.Equal(EmbeddingVector.For("nomic-embed-text", "beta"), data[1].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        var usage = body.GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 0, "prompt_tokens is the backend's count");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Ollamas_answer_names_the_served_model_behind_an_alias()
    {
        var key = await fixture.CreateKeyAsync();

        var (status, body, response) = await fixture.PostAsync("/api/embed", key, """{"model":"text-embedding-3-small","input":"gamma"}""");
        response.Dispose();

        Assert.Equal(200, status);
        Assert.Equal("nomic-embed-text", body.GetProperty("model").GetString());
        var vector = Assert.Single(body.GetProperty("embeddings").EnumerateArray());
        Assert.Equal(EmbeddingVector.For("nomic-embed-text", "gamma"), vector.EnumerateArray().Select(e => e.GetSingle()).ToArray());
        Assert.True(body.GetProperty("prompt_eval_count").GetInt32() > 0, "prompt_eval_count is the backend's count");
    }
}
