using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Grains.Interfaces;
using Router.Testing;

namespace Router.WebFront.Tests.Auth;

/// <summary>Keys mode on every surface: no key, an unknown key, a revoked key; the key, not X-User-Id, names the user.</summary>
[Collection(KeysRouterCollection.Name)]
public sealed class KeyAuthenticationTests(KeysRouterFixture fixture)
{
    public static readonly TheoryData<string, string> Cases = new()
    {
        { "/complete", "missing" }, { "/complete", "unknown" }, { "/complete", "revoked" }, { "/complete", "malformed" },
        { "/v1/chat/completions", "missing" }, { "/v1/chat/completions", "unknown" }, { "/v1/chat/completions", "revoked" },
        { "/v1/models", "missing" }, { "/v1/models", "unknown" }, { "/v1/models", "revoked" },
        { "/api/chat", "missing" }, { "/api/chat", "unknown" }, { "/api/chat", "revoked" },
        { "/api/tags", "missing" }, { "/v1/route", "missing" }, { "/v1/route", "unknown" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_request_without_a_live_key_is_a_401_in_the_surface_s_shape(string route, string keyCase)
    {
        string? key = keyCase switch
        {
            "missing" => null,
            // Well-formed, with a right check, but never issued: only the cluster can tell.
            "unknown" => Router.WebFront.Auth.ApiKeyMaterial.NewKey(),
            "malformed" => "not-a-router-key",
            _ => await RevokedKeyAsync(),
        };
        using var request = route switch
        {
            "/complete" => KeysRouterFixture.Complete(key, "hello", userIdHeader: "alice"),
            "/v1/chat/completions" => KeysRouterFixture.Chat(key, "hello"),
            "/api/chat" => new HttpRequestMessage(HttpMethod.Post, "/api/chat")
            {
                Content = new StringContent("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}", System.Text.Encoding.UTF8, "application/json"),
            },
            "/v1/route" => new HttpRequestMessage(HttpMethod.Post, "/v1/route")
            {
                Content = new StringContent("{\"message\":\"hello\"}", System.Text.Encoding.UTF8, "application/json"),
            },
            _ => new HttpRequestMessage(HttpMethod.Get, route),
        };
        if (route is "/v1/models" or "/api/chat" or "/api/tags" or "/v1/route" && key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("X-User-Id", "alice"); // ignored in Keys mode: it must not let the request in

        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        using var json = JsonDocument.Parse(body);
        var expectedCode = key is null ? "missing_api_key" : "invalid_api_key";
        if (route is "/complete" or "/v1/route")
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(401, json.RootElement.GetProperty("status").GetInt32());
            Assert.Equal(expectedCode, json.RootElement.GetProperty("code").GetString());
        }
        else if (route is "/api/chat" or "/api/tags")
        {
            // Ollama's own shape: one error string.
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetString()));
        }
        else
        {
            var error = json.RootElement.GetProperty("error");
            Assert.Equal(expectedCode, error.GetProperty("code").GetString());
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_live_key_is_accepted_as_bearer_token_or_x_api_key(bool asApiKeyHeader)
    {
        var user = "key-user-" + Guid.NewGuid().ToString("N")[..8];
        var (_, key) = await fixture.CreateKeyAsync(user);

        await using var sse = await SseClient.OpenAsync(fixture.Http, KeysRouterFixture.Complete(key, "hi [[sim:tokens=2]]", asApiKeyHeader: asApiKeyHeader), Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());

        Assert.Equal(200, (int)sse.Response.StatusCode);
        Assert.True(events[^1].IsDone, "the answer should end with its done event");
        Assert.All(events, e => Assert.Equal(user, e.Data.GetProperty("user_id").GetString()));
    }

    [Fact]
    public async Task The_key_names_the_user_so_it_never_reaches_another_user_s_session()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (alice, bob) = ($"alice-{suffix}", $"bob-{suffix}");
        var (_, aliceKey) = await fixture.CreateKeyAsync(alice);
        await fixture.CreateKeyAsync(bob);
        var nonce = Guid.NewGuid().ToString("N");

        // Alice's key, claiming to be Bob through X-User-Id, on both chat surfaces.
        await using (var sse = await SseClient.OpenAsync(fixture.Http, KeysRouterFixture.Complete(aliceKey, $"secret of alice {nonce} [[sim:tokens=2]]", userIdHeader: bob), Timeouts.Token()))
        {
            var events = await sse.ReadToEndAsync(Timeouts.Token());
            Assert.True(events[^1].IsDone, "phase 1: /complete should answer");
            Assert.All(events, e => Assert.Equal(alice, e.Data.GetProperty("user_id").GetString()));
        }

        using (var chat = KeysRouterFixture.Chat(aliceKey, $"more of alice {nonce} [[sim:tokens=2]]"))
        {
            chat.Headers.Add("X-User-Id", bob);
            using var response = await fixture.Http.SendAsync(chat, Timeouts.Token());
            Assert.Equal(200, (int)response.StatusCode);
        }

        var grains = fixture.Router.Services.GetRequiredService<IGrainFactory>();
        var aliceSession = await grains.GetGrain<IUserSessionGrain>(alice).GetSessionAsync();
        // The outcome is recorded by the silo just after the done event: read until both are in.
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var deadline = DateTime.UtcNow + Timeouts.Event;
        while (aliceSession.Completed < 2 && DateTime.UtcNow < deadline && await poll.WaitForNextTickAsync())
        {
            aliceSession = await grains.GetGrain<IUserSessionGrain>(alice).GetSessionAsync();
        }

        var bobSession = await grains.GetGrain<IUserSessionGrain>(bob).GetSessionAsync();
        Assert.Equal(2, aliceSession.Requests);
        Assert.Equal(2, aliceSession.Completed);
        Assert.Contains(aliceSession.Turns, t => t.UserMessage.Contains(nonce, StringComparison.Ordinal));
        Assert.Equal(0, bobSession.Requests);
        Assert.Empty(bobSession.Turns);
    }

    private async Task<string> RevokedKeyAsync()
    {
        var (id, key) = await fixture.CreateKeyAsync("revoked-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.RevokeAsync(id);
        return key;
    }
}
