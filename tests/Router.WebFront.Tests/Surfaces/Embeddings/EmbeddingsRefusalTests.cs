namespace Router.WebFront.Tests.Surfaces.Embeddings;

/// <summary>Refusals on both embeddings endpoints, each in its API's error shape.</summary>
[Collection(EmbeddingsRouterCollection.Name)]
public sealed class EmbeddingsRefusalTests(EmbeddingsRouterFixture fixture)
{
    private const string OpenAiPath = "/v1/embeddings";
    private const string OllamaPath = "/api/embed";

    [Fact]
    public async Task Auto_is_a_400_naming_model_on_both_endpoints()
    {
        var key = await fixture.CreateKeyAsync();

        var (openAiStatus, openAi, _) = await fixture.PostAsync(OpenAiPath, key, """{"model":"auto","input":"x"}""");
        var (ollamaStatus, ollama, _) = await fixture.PostAsync(OllamaPath, key, """{"model":"auto","input":"x"}""");

        Assert.Equal(400, openAiStatus);
        Assert.Equal("model", openAi.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", openAi.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(400, ollamaStatus);
        Assert.Contains("named model", ollama.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_on_both_endpoints()
    {
        var key = await fixture.CreateKeyAsync();

        var (openAiStatus, openAi, _) = await fixture.PostAsync(OpenAiPath, key, """{"model":"no-such-model","input":"x"}""");
        var (ollamaStatus, ollama, _) = await fixture.PostAsync(OllamaPath, key, """{"model":"no-such-model","input":["x"]}""");

        Assert.Equal(404, openAiStatus);
        Assert.Equal("model_not_found", openAi.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(404, ollamaStatus);
        Assert.Contains("no-such-model", ollama.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_400_in_Ollamas_shape()
    {
        var key = await fixture.CreateKeyAsync();

        var (status, body, _) = await fixture.PostAsync(OllamaPath, key, """{"model":""");

        Assert.Equal(400, status);
        Assert.Equal(System.Text.Json.JsonValueKind.String, body.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Token_arrays_are_a_400_naming_input()
    {
        var key = await fixture.CreateKeyAsync();

        var (status, body, _) = await fixture.PostAsync(OpenAiPath, key, """{"model":"nomic-embed-text","input":[[1,2,3]]}""");

        Assert.Equal(400, status);
        Assert.Equal("input", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task An_unknown_parameter_is_a_400_naming_it()
    {
        var key = await fixture.CreateKeyAsync();

        var (status, body, _) = await fixture.PostAsync(OpenAiPath, key, """{"model":"nomic-embed-text","input":"x","encoding":"float"}""");

        Assert.Equal(400, status);
        Assert.Equal("encoding", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Ollama_fields_are_unknown_parameters_on_the_OpenAI_endpoint()
    {
        var key = await fixture.CreateKeyAsync();

        var (status, body, _) = await fixture.PostAsync(OpenAiPath, key, """{"model":"nomic-embed-text","input":"x","keep_alive":"5m"}""");

        Assert.Equal(400, status);
        Assert.Equal("keep_alive", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_chat_model_refusing_embeddings_is_a_400_with_the_backends_reason()
    {
        var key = await fixture.CreateKeyAsync();

        var (ollamaStatus, ollama, _) = await fixture.PostAsync(OllamaPath, key, """{"model":"llama3.2","input":"x"}""");
        var (upstreamStatus, upstream, _) = await fixture.PostAsync(OpenAiPath, key, $$"""{"model":"{{RouterFixture.UpstreamModel}}","input":"x"}""");

        Assert.Equal(400, ollamaStatus);
        Assert.Contains("does not support embeddings", ollama.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, upstreamStatus);
        Assert.Contains("does not support embeddings", upstream.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_option_Ollama_cannot_take_is_a_400_naming_it()
    {
        var key = await fixture.CreateKeyAsync();

        var (status, body, _) = await fixture.PostAsync(OllamaPath, key, """{"model":"nomic-embed-text","input":"x","options":{"no_such_option":1}}""");

        Assert.Equal(400, status);
        Assert.Equal("'options.no_such_option' is not an option Ollama's embed takes.", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_option_of_the_wrong_type_is_a_400_naming_it()
    {
        var key = await fixture.CreateKeyAsync();

        var (status, body, _) = await fixture.PostAsync(OllamaPath, key, """{"model":"nomic-embed-text","input":"x","options":{"num_ctx":"many"}}""");

        Assert.Equal(400, status);
        Assert.Contains("'options.num_ctx'", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_is_charged_the_tokens_the_backend_counted()
    {
        var (id, key) = await fixture.CreateKeyWithIdAsync();

        var (status, body, response) = await fixture.PostAsync(OllamaPath, key, """{"model":"nomic-embed-text","input":["one two three","four five"]}""");
        response.Dispose();

        Assert.Equal(200, status);
        var counted = body.GetProperty("prompt_eval_count").GetInt64();
        Assert.True(counted > 0, "the backend counted the inputs");
        Assert.Equal(counted, (await fixture.UsageAsync(id)).GetProperty("tokens_today").GetInt64());
    }

    [Fact]
    public async Task The_second_request_over_a_limit_of_one_per_minute_is_a_429()
    {
        var key = await fixture.CreateKeyAsync(new { requests_per_minute = 1 });

        var (first, _, firstResponse) = await fixture.PostAsync(OllamaPath, key, """{"model":"nomic-embed-text","input":"counted"}""");
        var (second, body, secondResponse) = await fixture.PostAsync(OpenAiPath, key, """{"model":"nomic-embed-text","input":"counted"}""");
        firstResponse.Dispose();

        using (secondResponse)
        {
            Assert.Equal(200, first);
            Assert.Equal(429, second);
            Assert.Equal("rate_limit_error", body.GetProperty("error").GetProperty("type").GetString());
            Assert.True(secondResponse.Headers.RetryAfter?.Delta > TimeSpan.Zero, "retry-after is set");
        }
    }
}
