using System.Net.Http.Json;
using System.Text.Json;
using Router.WebFront.Tests.Auth;

namespace Router.WebFront.Tests.Spend;

/// <summary>The router in Keys mode with priced models and its request log in SQLite (the embedded default), and helpers for the usage API.</summary>
public sealed class SpendRouterFixture : RouterFixture
{
    /// <summary>Per million tokens, as configured below.</summary>
    public const decimal LlamaInput = 0.15m, LlamaOutput = 0.6m, UpstreamInput = 2.5m, UpstreamOutput = 10m;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Auth:Mode"] = "Keys";
        settings["Auth:AdminKey"] = KeysRouterFixture.AdminKey;

        // These tests poll the admin API for log rows; its per-address throttle is another test's subject.
        settings["Auth:AdminRequestsPerMinute"] = "100000";
        settings["Pricing:Models:llama3.2:Input"] = "0.15";
        settings["Pricing:Models:llama3.2:Output"] = "0.6";
        settings[$"Pricing:Models:{UpstreamModel}:Input"] = "2.5";
        settings[$"Pricing:Models:{UpstreamModel}:Output"] = "10";
        settings[$"Pricing:Models:{UpstreamModel}:CachedInput"] = "1.25";
        settings["RequestLog:FlushInterval"] = "00:00:00.050";
    }

    public async Task<(string Id, string Key)> CreateKeyAsync(string userId)
    {
        using var response = await Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Post, "/admin/keys", new { user_id = userId }), Timeouts.Token());
        Assert.Equal(201, (int)response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    /// <summary>An admin API GET; asserts 200 and returns the body.</summary>
    public async Task<JsonElement> AdminGetAsync(string pathAndQuery)
    {
        using var response = await Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, pathAndQuery), Timeouts.Token());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Every row of <c>/admin/requests</c> for the query, following <c>next_cursor</c> page by page.</summary>
    public Task<List<JsonElement>> AllRowsAsync(string query, int pageSize = 100) => UsageApi.AllRowsAsync(AdminGetAsync, query, pageSize);

    /// <summary>Waits until the log holds <paramref name="count"/> rows for the query (rows are written behind the answers; each batch the writer reports is a new look).</summary>
    public Task<List<JsonElement>> WaitForRowsAsync(string query, int count, string phase) => UsageApi.WaitForRowsAsync(AdminGetAsync, UsageApi.Writer(Router), query, count, phase);
}

[CollectionDefinition(Name)]
public sealed class SpendRouterCollection : ICollectionFixture<SpendRouterFixture>
{
    public const string Name = "router with prices and a request log";
}
