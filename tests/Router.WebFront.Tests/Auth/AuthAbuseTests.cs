using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Router.WebFront.Auth;

namespace Router.WebFront.Tests.Auth;

/// <summary>
/// Made-up keys cost the cluster nothing: a wrong format or check is refused on the web front, a
/// repeated unknown key is remembered, and an address that keeps failing is throttled with 429.
/// Black-box, through the real router's HTTP surfaces.
/// </summary>
[Collection(AbuseRouterCollection.Name)]
public sealed class AuthAbuseTests(AbuseRouterFixture fixture)
{
    private static readonly string[] Routes = ["/v1/models", "/complete", "/v1/chat/completions", "/api/chat", "/v1/route", "/api/tags"];

    [Fact]
    public async Task Twenty_thousand_random_well_formed_keys_leave_activations_and_store_reads_flat()
    {
        using var reads = new StorageReads();
        using var http = fixture.ClientFrom("127.0.0.2", connections: 16);
        var (lookupsBefore, allBefore) = await fixture.ActivationsAsync();
        var readsBefore = reads.Count;

        var statuses = new int[20_000];
        await Parallel.ForEachAsync(Enumerable.Range(0, statuses.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            // Half in the shape keys had before they carried a check, half in today's shape with a wrong check.
            var secret = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
            var key = i % 2 == 0 ? "rk_" + secret : "rk_" + secret + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(6))[..6];
            using var request = Request(Routes[i % Routes.Length], key);
            using var response = await http.SendAsync(request, ct);
            statuses[i] = (int)response.StatusCode;
        });

        var (lookupsAfter, allAfter) = await fixture.ActivationsAsync();
        Assert.True(lookupsAfter - lookupsBefore <= 0, $"{lookupsAfter - lookupsBefore} key lookup grains were activated by made-up keys");
        Assert.True(allAfter - allBefore <= 2, $"{allAfter - allBefore} grains were activated by made-up keys");
        Assert.True(reads.Count - readsBefore <= 2, $"{reads.Count - readsBefore} grain-state reads were made for made-up keys");
        Assert.All(statuses, s => Assert.True(s is 401 or 429, $"a made-up key got {s}"));
        // The burst, plus requests already past the throttle's check when the burst ran out (16 at once).
        Assert.InRange(statuses.Count(s => s == 401), AbuseRouterFixture.Burst, AbuseRouterFixture.Burst + 16 + 1);
    }

    [Fact]
    public async Task Unknown_keys_with_a_right_check_cost_at_most_the_burst_of_lookups_and_a_repeated_one_only_one()
    {
        using var http = fixture.ClientFrom("127.0.0.3");
        var (before, _) = await fixture.ActivationsAsync();

        var repeated = ApiKeyMaterial.NewKey();
        for (var i = 0; i < 5; i++)
        {
            using var response = await http.SendAsync(Request("/v1/models", repeated), Timeouts.Token());
            Assert.Equal(401, (int)response.StatusCode);
        }

        var (afterRepeated, _) = await fixture.ActivationsAsync();
        Assert.Equal(1, afterRepeated - before);

        var statuses = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            using var response = await http.SendAsync(Request("/v1/models", ApiKeyMaterial.NewKey()), Timeouts.Token());
            statuses.Add((int)response.StatusCode);
        }

        var (after, _) = await fixture.ActivationsAsync();
        Assert.Contains(429, statuses);
        Assert.True(after - afterRepeated <= AbuseRouterFixture.Burst - 5 + 1,
            $"{after - afterRepeated} lookups for 200 distinct unknown keys, above the address's allowance of {AbuseRouterFixture.Burst - 5}");
    }

    [Fact]
    public async Task A_throttled_address_gets_429_with_Retry_After_in_each_surface_s_shape_even_with_a_live_key()
    {
        var (_, liveKey) = await CreateKeyAsync("throttled-user");
        using var http = fixture.ClientFrom("127.0.0.4");
        for (var i = 0; i < AbuseRouterFixture.Burst; i++)
        {
            using var spend = await http.SendAsync(Request("/v1/models", null), Timeouts.Token());
            Assert.Equal(401, (int)spend.StatusCode);
        }

        foreach (var route in Routes)
        {
            using var response = await http.SendAsync(Request(route, liveKey), Timeouts.Token());
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(429 == (int)response.StatusCode, $"{route}: {(int)response.StatusCode} {body}");
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"{route}: Retry-After missing");
            var root = JsonDocument.Parse(body).RootElement;
            switch (route)
            {
                case "/complete" or "/v1/route":
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    Assert.Equal("auth_throttled", root.GetProperty("code").GetString());
                    break;
                case "/api/chat" or "/api/tags":
                    Assert.Contains("failed authentications", root.GetProperty("error").GetString(), StringComparison.Ordinal);
                    break;
                default:
                    Assert.Equal("rate_limit_error", root.GetProperty("error").GetProperty("type").GetString());
                    Assert.Equal("auth_throttled", root.GetProperty("error").GetProperty("code").GetString());
                    break;
            }
        }

        // Another address is not affected.
        using var other = fixture.ClientFrom("127.0.0.5");
        using var fine = await other.SendAsync(Request("/v1/models", liveKey), Timeouts.Token());
        Assert.Equal(200, (int)fine.StatusCode);
    }

    private async Task<(string Id, string Key)> CreateKeyAsync(string userId)
    {
        using var admin = fixture.ClientFrom("127.0.0.6");
        using var response = await admin.SendAsync(KeysRouterFixture.Admin(HttpMethod.Post, "/admin/keys", new { user_id = userId }), Timeouts.Token());
        Assert.Equal(201, (int)response.StatusCode);
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    private static HttpRequestMessage Request(string route, string? key)
    {
        var request = route switch
        {
            "/complete" => new HttpRequestMessage(HttpMethod.Post, route) { Content = Json("{\"message\":\"hello\"}") },
            "/v1/chat/completions" => new HttpRequestMessage(HttpMethod.Post, route)
            {
                Content = Json("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"),
            },
            "/api/chat" => new HttpRequestMessage(HttpMethod.Post, route)
            {
                Content = Json("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"),
            },
            "/v1/route" => new HttpRequestMessage(HttpMethod.Post, route) { Content = Json("{\"message\":\"hello\"}") },
            _ => new HttpRequestMessage(HttpMethod.Get, route),
        };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
