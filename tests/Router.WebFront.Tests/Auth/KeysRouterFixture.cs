using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Router.WebFront.Tests.Auth;

/// <summary>The router in Keys mode, with a short token reservation default, and helpers for its admin API.</summary>
public sealed class KeysRouterFixture : RouterFixture
{
    public const string AdminKey = "admin-key-for-tests-0123456789";
    public const int DefaultReservation = 100;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Auth:Mode"] = "Keys";
        settings["Auth:AdminKey"] = AdminKey;
        settings["Auth:DefaultTokenReservation"] = DefaultReservation.ToString();
        // Many tests here fail authentication on purpose, all from 127.0.0.1; the throttles have
        // collections of their own (AuthAbuseTests, AdminThrottleTests).
        settings["Auth:FailedAuthBurst"] = "100000";
        settings["Auth:AdminRequestsPerMinute"] = "100000";
    }

    /// <summary>An admin API request with the admin key (or <paramref name="bearer"/>, or none when it is empty).</summary>
    public static HttpRequestMessage Admin(HttpMethod method, string path, object? body = null, string? bearer = AdminKey)
    {
        var request = new HttpRequestMessage(method, path);
        if (!string.IsNullOrEmpty(bearer)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (body is not null) request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>Creates a key through the admin API; returns its id and the key.</summary>
    public async Task<(string Id, string Key)> CreateKeyAsync(string userId, object? limits = null)
    {
        using var response = await Http.SendAsync(Admin(HttpMethod.Post, "/admin/keys", new { user_id = userId, limits }), Timeouts.Token());
        Assert.Equal(201, (int)response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    public async Task<JsonElement> GetKeyAsync(string id)
    {
        using var response = await Http.SendAsync(Admin(HttpMethod.Get, $"/admin/keys/{id}"), Timeouts.Token());
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task RevokeAsync(string id)
    {
        using var response = await Http.SendAsync(Admin(HttpMethod.Delete, $"/admin/keys/{id}"), Timeouts.Token());
        Assert.Equal(204, (int)response.StatusCode);
    }

    /// <summary><c>POST /complete</c> with a key as a bearer token (and any other headers).</summary>
    public static HttpRequestMessage Complete(string? key, string message, string? userIdHeader = null, bool asApiKeyHeader = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/complete")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { message }), Encoding.UTF8, "application/json"),
        };
        if (key is not null && asApiKeyHeader) request.Headers.Add("x-api-key", key);
        else if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (userIdHeader is not null) request.Headers.Add("X-User-Id", userIdHeader);
        return request;
    }

    /// <summary><c>POST /v1/chat/completions</c> with a key.</summary>
    public static HttpRequestMessage Chat(string? key, string message, bool stream = false, int? maxTokens = null)
    {
        var body = new Dictionary<string, object?> { ["model"] = "auto", ["stream"] = stream, ["messages"] = new[] { new { role = "user", content = message } } };
        if (maxTokens is not null) body["max_tokens"] = maxTokens;
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }
}

[CollectionDefinition(Name)]
public sealed class KeysRouterCollection : ICollectionFixture<KeysRouterFixture>
{
    public const string Name = "router in Keys mode";
}
