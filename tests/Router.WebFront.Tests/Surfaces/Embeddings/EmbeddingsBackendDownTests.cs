namespace Router.WebFront.Tests.Surfaces.Embeddings;

/// <summary>An Ollama server that cannot be reached is a 503 in each API's shape.</summary>
[Collection(DeadOllamaRouterCollection.Name)]
public sealed class EmbeddingsBackendDownTests(DeadOllamaRouterFixture fixture)
{
    [Theory]
    [InlineData("/api/embed")]
    [InlineData("/v1/embeddings")]
    public async Task An_unreachable_Ollama_is_a_503(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent("""{"model":"llama3.2","input":"x"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-User-Id", "embed-down");

        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeouts.Token())).RootElement;

        Assert.Equal(503, (int)response.StatusCode);
        var message = path == "/api/embed" ? body.GetProperty("error").GetString() : body.GetProperty("error").GetProperty("message").GetString();
        Assert.Equal("The Ollama server for 'llama3.2' cannot be reached.", message);
    }
}
