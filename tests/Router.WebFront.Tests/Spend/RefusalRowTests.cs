using Router.WebFront.Tests.Auth;

namespace Router.WebFront.Tests.Spend;

/// <summary>
/// A request refused before it ran leaves a row in the request log that names the surface it came
/// to (by its route, whatever the path's case or trailing slash) and the key that sent it.
/// </summary>
[Collection(SpendRouterCollection.Name)]
public sealed class RefusalRowTests(SpendRouterFixture fixture)
{
    [Theory]
    [InlineData("/complete", """{"message":""}""", "complete")]
    [InlineData("/v1/chat/completions/", """{"model":"llama3.2","messages":[]}""", "openai.chat")]
    [InlineData("/V1/Responses", """{"model":"llama3.2"}""", "openai.responses")]
    [InlineData("/v1/messages", """{"model":"llama3.2","messages":[]}""", "anthropic.messages")]
    [InlineData("/v1/messages/count_tokens", """{"messages":"not a list"}""", "anthropic.count_tokens")]
    [InlineData("/v1/embeddings", """{"model":"nomic-embed-text"}""", "openai.embeddings")]
    [InlineData("/api/embed", """{"model":"nomic-embed-text","input":7}""", "ollama.embed")]
    [InlineData("/api/chat", """{"model":"llama3.2","messages":"hello"}""", "ollama.chat")]
    public async Task A_refused_request_is_logged_under_its_surface_and_its_key(string path, string json, string surface)
    {
        var user = $"refusal-{Guid.NewGuid():N}"[..20];
        var (keyId, key) = await fixture.CreateKeyAsync(user);
        using var response = await fixture.Http.SendAsync(BudgetRouterFixture.Post(key, path, json), Timeouts.Token());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{path}: {(int)response.StatusCode} {body}");

        var row = Assert.Single(await fixture.WaitForRowsAsync($"key_id={keyId}&outcome=rejected", 1, $"the refusal's row of {path}"));
        Assert.Equal(surface, row.GetProperty("surface").GetString());
        Assert.Equal(keyId, row.GetProperty("key_id").GetString());
        Assert.Equal(user, row.GetProperty("user_id").GetString());
        Assert.False(string.IsNullOrEmpty(row.GetProperty("error_code").GetString()), $"{path}: the row's error code");
        Assert.Equal(0m, row.GetProperty("cost").GetDecimal());
    }
}
