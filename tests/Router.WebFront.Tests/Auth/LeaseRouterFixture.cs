using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Router.WebFront.Tests.Auth;

/// <summary>
/// The router in Keys mode for the lease tests: a classifier that may be held for long (its timeout
/// is 30 s), a resume grace long enough to hang up and come back, a small answer byte cap and a small
/// history bound, so those caps are what the tests meet.
/// </summary>
public sealed class LeaseRouterFixture : RouterFixture
{
    public const int MaxOutputBytes = 2048;
    public const int MaxHistoryBytes = 4096;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Auth:Mode"] = "Keys";
        settings["Auth:AdminKey"] = KeysRouterFixture.AdminKey;
        settings["Auth:DefaultTokenReservation"] = "4096";
        settings["Auth:FailedAuthBurst"] = "100000";
        settings["Auth:AdminRequestsPerMinute"] = "100000";
        settings["Classifier:Timeout"] = "00:00:30";
        settings["WebFront:ResumeGrace"] = "00:00:30";
        settings["Generation:MaxOutputBytes"] = MaxOutputBytes.ToString();
        settings["Generation:MaxHistoryBytes"] = MaxHistoryBytes.ToString();
    }

    public async Task<(string Id, string Key)> CreateKeyAsync(string userId, object? limits = null)
    {
        using var response = await Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Post, "/admin/keys", new { user_id = userId, limits }), Timeouts.Token());
        Assert.Equal(201, (int)response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    public async Task<JsonElement> UsageAsync(string id)
    {
        using var response = await Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, $"/admin/keys/{id}"), Timeouts.Token());
        Assert.Equal(200, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");
    }

    /// <summary>Waits until the key's <c>open_streams</c> is <paramref name="expected"/>; fails naming <paramref name="phase"/>.</summary>
    public async Task WaitForOpenStreamsAsync(string id, int expected, string phase)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        var open = -1;
        while (DateTime.UtcNow < deadline && await poll.WaitForNextTickAsync())
        {
            open = (await UsageAsync(id)).GetProperty("open_streams").GetInt32();
            if (open == expected) return;
        }

        Assert.Fail($"{phase}: open_streams stayed {open}, expected {expected}");
    }

    /// <summary><c>GET /complete/{id}</c> with <c>Last-Event-ID</c> and a key.</summary>
    public static HttpRequestMessage Resume(string key, string requestId, int lastEventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/complete/{requestId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("Last-Event-ID", lastEventId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }

    /// <summary><c>POST /v1/chat/completions</c> with a key and any body.</summary>
    public static HttpRequestMessage Chat(string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }
}

[CollectionDefinition(Name)]
public sealed class LeaseRouterCollection : ICollectionFixture<LeaseRouterFixture>
{
    public const string Name = "router in Keys mode for leases";
}
