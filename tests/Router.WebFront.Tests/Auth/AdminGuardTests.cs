using System.Text.Json;
using Router.WebFront.Auth;
using Serilog.Events;

namespace Router.WebFront.Tests.Auth;

/// <summary>The admin API is throttled per client address and audited with its caller; failed authentications are logged, throttled, without keys.</summary>
[Collection(AbuseRouterCollection.Name)]
public sealed class AdminGuardTests(AbuseRouterFixture fixture)
{
    [Fact]
    public async Task Each_admin_request_is_logged_with_the_admin_key_s_fingerprint_and_the_client_address()
    {
        using var http = fixture.ClientFrom("127.0.0.7");
        using var response = await http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Post, "/admin/keys", new { user_id = "audited-user" }), Timeouts.Token());
        Assert.Equal(201, (int)response.StatusCode);
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var (id, key) = (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);

        var fingerprint = ApiKeyMaterial.Fingerprint(KeysRouterFixture.AdminKey);
        var audit = CapturedLog.Instance.Events.Where(e => Property(e, "ClientAddress") == "127.0.0.7").ToList();
        Assert.Contains(audit, e => Property(e, "Method") == "POST" && Property(e, "Path") == "/admin/keys" && Property(e, "AdminKeyFingerprint") == fingerprint);
        Assert.Contains(audit, e => Property(e, "KeyId") == id && Property(e, "AdminKeyFingerprint") == fingerprint
            && e.RenderMessage().Contains("created for user audited-user", StringComparison.Ordinal));
        Assert.All(audit, e => Assert.DoesNotContain(KeysRouterFixture.AdminKey, e.RenderMessage(), StringComparison.Ordinal));
        Assert.All(audit, e => Assert.DoesNotContain(key, e.RenderMessage(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_address_past_its_admin_allowance_gets_429_with_Retry_After_and_others_do_not()
    {
        using var http = fixture.ClientFrom("127.0.0.8");
        for (var i = 0; i < AbuseRouterFixture.AdminPerMinute; i++)
        {
            using var allowed = await http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, "/admin/keys"), Timeouts.Token());
            Assert.Equal(200, (int)allowed.StatusCode);
        }

        using var refused = await http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, "/admin/keys"), Timeouts.Token());
        await ProblemAssert.IsProblemAsync(refused, 429, "admin_throttled");
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After missing");

        using var other = fixture.ClientFrom("127.0.0.9");
        using var fine = await other.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, "/admin/keys"), Timeouts.Token());
        Assert.Equal(200, (int)fine.StatusCode);
    }

    [Fact]
    public async Task Failed_authentications_make_one_warning_per_interval_and_no_key_is_logged()
    {
        var presented = new List<string>();
        foreach (var source in new[] { "127.0.0.10", "127.0.0.11" })
        {
            using var http = fixture.ClientFrom(source);
            for (var i = 0; i < 3; i++)
            {
                var key = ApiKeyMaterial.NewKey();
                presented.Add(key);
                using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
                request.Headers.Authorization = new("Bearer", key);
                using var response = await http.SendAsync(request, Timeouts.Token());
                Assert.Equal(401, (int)response.StatusCode);
            }
        }

        // Auth:FailureLogInterval is an hour here: however many failures this collection made, one line.
        var warnings = CapturedLog.Instance.Events.Where(e => e.MessageTemplate.Text.StartsWith("Failed authentications", StringComparison.Ordinal)).ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal(LogEventLevel.Warning, warning.Level);
        Assert.NotNull(Property(warning, "ClientAddress"));
        Assert.All(CapturedLog.Instance.Events, e => Assert.All(presented, k => Assert.DoesNotContain(k, e.RenderMessage(), StringComparison.Ordinal)));
    }

    private static string? Property(LogEvent e, string name) =>
        e.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: var v } ? v?.ToString() : null;
}
