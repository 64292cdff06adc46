using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Router.WebFront.Tests.Auth;

/// <summary>The admin API: exact shapes of create, list, get, patch and delete; the admin key and nothing else opens it.</summary>
[Collection(KeysRouterCollection.Name)]
public sealed partial class AdminKeysApiTests(KeysRouterFixture fixture)
{
    [GeneratedRegex("^rk_[A-Za-z0-9_-]{49}$")]
    private static partial Regex KeyShape();

    [GeneratedRegex("^key_[0-9a-f]{16}$")]
    private static partial Regex IdShape();

    [Fact]
    public async Task Create_answers_201_with_only_the_id_and_the_key()
    {
        using var response = await fixture.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Post, "/admin/keys",
            new { user_id = "carol", limits = new { requests_per_minute = 5, tokens_per_day = 1000 } }), Timeouts.Token());

        Assert.Equal(201, (int)response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["id", "key"], body.EnumerateObject().Select(p => p.Name).Order().ToArray());
        var id = body.GetProperty("id").GetString()!;
        Assert.Matches(IdShape(), id);
        Assert.Matches(KeyShape(), body.GetProperty("key").GetString());
        Assert.Equal($"/admin/keys/{id}", response.Headers.Location?.OriginalString);

        var key = await fixture.GetKeyAsync(id);
        Assert.Equal(["created_at", "id", "limits", "revoked", "revoked_at", "usage", "user_id"], key.EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal(id, key.GetProperty("id").GetString());
        Assert.Equal("carol", key.GetProperty("user_id").GetString());
        Assert.False(key.GetProperty("revoked").GetBoolean());
        Assert.Equal(JsonValueKind.Null, key.GetProperty("revoked_at").ValueKind);
        var limits = key.GetProperty("limits");
        Assert.Equal(5, limits.GetProperty("requests_per_minute").GetInt32());
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("tokens_per_minute").ValueKind);
        Assert.Equal(1000, limits.GetProperty("tokens_per_day").GetInt64());
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("concurrent_streams").ValueKind);
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("spend_per_day").ValueKind);
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("spend_per_month").ValueKind);
        Assert.Equal(["open_streams", "requests_last_minute", "spend_reserved", "spend_this_month", "spend_today", "tokens_last_minute", "tokens_today"],
            key.GetProperty("usage").EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.DoesNotContain("rk_", key.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_every_key_without_secrets()
    {
        var (first, firstKey) = await fixture.CreateKeyAsync("dave");
        var (second, _) = await fixture.CreateKeyAsync("erin", new { concurrent_streams = 2 });

        using var response = await fixture.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, "/admin/keys"), Timeouts.Token());
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        var keys = JsonDocument.Parse(text).RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal("dave", keys.Single(k => k.GetProperty("id").GetString() == first).GetProperty("user_id").GetString());
        Assert.Equal(2, keys.Single(k => k.GetProperty("id").GetString() == second).GetProperty("limits").GetProperty("concurrent_streams").GetInt32());
        Assert.DoesNotContain(firstKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_merges_limits_and_null_removes_one()
    {
        var (id, _) = await fixture.CreateKeyAsync("frank", new { requests_per_minute = 10, tokens_per_minute = 500 });

        using var response = await fixture.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Patch, $"/admin/keys/{id}",
            "{\"limits\": {\"requests_per_minute\": null, \"concurrent_streams\": 4}}"), Timeouts.Token());

        Assert.Equal(200, (int)response.StatusCode);
        var limits = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("limits");
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("requests_per_minute").ValueKind);
        Assert.Equal(500, limits.GetProperty("tokens_per_minute").GetInt64());
        Assert.Equal(4, limits.GetProperty("concurrent_streams").GetInt32());
        Assert.Equal(4, (await fixture.GetKeyAsync(id)).GetProperty("limits").GetProperty("concurrent_streams").GetInt32());
    }

    [Fact]
    public async Task Delete_revokes_the_key_and_get_shows_it_revoked()
    {
        var (id, key) = await fixture.CreateKeyAsync("grace");
        await fixture.RevokeAsync(id);

        var shown = await fixture.GetKeyAsync(id);
        Assert.True(shown.GetProperty("revoked").GetBoolean());
        Assert.Equal(JsonValueKind.String, shown.GetProperty("revoked_at").ValueKind);
        using var refused = await fixture.Http.SendAsync(KeysRouterFixture.Complete(key, "hello"), Timeouts.Token());
        Assert.Equal(401, (int)refused.StatusCode);
        using var again = await fixture.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Delete, $"/admin/keys/{id}"), Timeouts.Token());
        Assert.Equal(204, (int)again.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/admin/keys/key_0000000000000000")]
    [InlineData("PATCH", "/admin/keys/key_0000000000000000")]
    [InlineData("DELETE", "/admin/keys/key_0000000000000000")]
    public async Task An_unknown_id_is_a_404_problem(string method, string path)
    {
        using var response = await fixture.Http.SendAsync(KeysRouterFixture.Admin(new HttpMethod(method), path, method == "PATCH" ? "{}" : null), Timeouts.Token());
        await AssertProblemAsync(response, 404, "key_not_found");
    }

    [Theory]
    [InlineData("{\"limits\": {}}", "invalid_user_id")]
    [InlineData("{\"user_id\": \"  \"}", "invalid_user_id")]
    [InlineData("{\"user_id\": \"hank\", \"limits\": {\"requests_per_minute\": 0}}", "invalid_limits")]
    [InlineData("{\"user_id\": \"hank\", \"limits\": {\"requests_per_minute\": 1.5}}", "invalid_limits")]
    [InlineData("{\"user_id\": \"hank\", \"limits\": {\"requests_per_hour\": 5}}", "invalid_limits")]
    [InlineData("{\"user_id\": \"hank\", \"limits\": [1]}", "invalid_limits")]
    [InlineData("{\"user_id\": \"hank\"", "invalid_json")]
    [InlineData("[]", "invalid_body")]
    public async Task A_bad_create_body_is_a_400_problem(string body, string code)
    {
        using var response = await fixture.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Post, "/admin/keys", body), Timeouts.Token());
        await AssertProblemAsync(response, 400, code);
    }

    public static readonly TheoryData<string, string> Routes = new()
    {
        { "POST", "/admin/keys" }, { "GET", "/admin/keys" }, { "GET", "/admin/keys/key_0000000000000000" },
        { "PATCH", "/admin/keys/key_0000000000000000" }, { "DELETE", "/admin/keys/key_0000000000000000" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_admin_route_needs_the_admin_key(string method, string path)
    {
        var (_, userKey) = await fixture.CreateKeyAsync("ivan");
        var body = method is "POST" or "PATCH" ? "{\"user_id\": \"mallory\"}" : null;

        using var none = await fixture.Http.SendAsync(KeysRouterFixture.Admin(new HttpMethod(method), path, body, bearer: ""), Timeouts.Token());
        await AssertProblemAsync(none, 401, "missing_admin_key");
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        using var wrong = await fixture.Http.SendAsync(KeysRouterFixture.Admin(new HttpMethod(method), path, body, bearer: KeysRouterFixture.AdminKey + "x"), Timeouts.Token());
        await AssertProblemAsync(wrong, 403, "invalid_admin_key");
        using var user = await fixture.Http.SendAsync(KeysRouterFixture.Admin(new HttpMethod(method), path, body, bearer: userKey), Timeouts.Token());
        await AssertProblemAsync(user, 403, "invalid_admin_key");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string code)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_text_or_form_body_is_a_415(string contentType)
    {
        using var request = KeysRouterFixture.Admin(HttpMethod.Post, "/admin/keys", new { user_id = "form-user" });
        request.Content!.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());

        await ProblemAssert.IsProblemAsync(response, 415, "unsupported_media_type");
    }

    [Theory]
    [InlineData("\u202Eadmin")]
    [InlineData("al\u200Bice")]
    [InlineData("bob\u2066x")]
    [InlineData("line\u2028break")]
    public async Task A_user_id_with_bidirectional_or_invisible_characters_is_refused(string escaped)
    {
        using var request = KeysRouterFixture.Admin(HttpMethod.Post, "/admin/keys", $$"""{"user_id":"{{escaped}}"}""");

        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());

        await ProblemAssert.IsProblemAsync(response, 400, "invalid_user_id");
    }
}
