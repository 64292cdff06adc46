using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Router.OllamaSimulator;
using Router.WebFront.Tests.Auth;

namespace Router.WebFront.Tests.Spend;

/// <summary>
/// The router in Keys mode with dear prices (so a small budget runs out in a few requests), an Ollama
/// embedding model, and its request log in SQLite (the embedded default).
/// </summary>
public sealed class BudgetRouterFixture : RouterFixture
{
    /// <summary>Per million tokens: 0.001 per input token and 0.01 per output token of <c>llama3.2</c>.</summary>
    public const decimal Input = 1000m, Output = 10_000m;

    /// <summary>The embedding model, at <see cref="Input"/> per million input tokens.</summary>
    public const string EmbedModel = "nomic-embed-text";

    protected override void ConfigureSimulator(SimulatorOptions options) => options.Models = ["llama3.2", EmbedModel, "qwen2.5-coder"];

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Auth:Mode"] = "Keys";
        settings["Auth:AdminKey"] = KeysRouterFixture.AdminKey;
        settings["Auth:AdminRequestsPerMinute"] = "100000";
        settings["Ollama:Models:0"] = "llama3.2";
        settings["Ollama:Models:1"] = EmbedModel;
        settings["Pricing:Models:llama3.2:Input"] = "1000";
        settings["Pricing:Models:llama3.2:Output"] = "10000";
        settings[$"Pricing:Models:{EmbedModel}:Input"] = "1000";
        settings[$"Pricing:Models:{EmbedModel}:Output"] = "0";
        settings[$"Pricing:Models:{UpstreamModel}:Input"] = "1000";
        settings[$"Pricing:Models:{UpstreamModel}:Output"] = "10000";
        settings["RequestLog:FlushInterval"] = "00:00:00.050";
    }

    public async Task<(string Id, string Key)> CreateKeyAsync(object limits)
    {
        var user = $"budget-{Guid.NewGuid():N}"[..20];
        using var response = await Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Post, "/admin/keys", new { user_id = user, limits }), Timeouts.Token());
        Assert.Equal(201, (int)response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    /// <summary>The key as <c>GET /admin/keys/{id}</c> shows it.</summary>
    public async Task<JsonElement> KeyAsync(string id)
    {
        using var response = await Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, $"/admin/keys/{id}"), Timeouts.Token());
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>An admin API GET; asserts 200 and returns the body.</summary>
    public async Task<JsonElement> AdminGetAsync(string pathAndQuery)
    {
        using var response = await Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, pathAndQuery), Timeouts.Token());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Waits until the log holds <paramref name="count"/> rows for the query.</summary>
    public Task<List<JsonElement>> WaitForRowsAsync(string query, int count, string phase, TimeSpan? timeout = null) =>
        UsageApi.WaitForRowsAsync(AdminGetAsync, UsageApi.Writer(Router), query, count, phase, timeout);

    /// <summary>A JSON POST with the key as a bearer token (and as <c>x-api-key</c>, for the Anthropic surface).</summary>
    public static HttpRequestMessage Post(string key, string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("x-api-key", key);
        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }
}

[CollectionDefinition(Name)]
public sealed class BudgetRouterCollection : ICollectionFixture<BudgetRouterFixture>
{
    public const string Name = "router with dear prices and budgets";
}
