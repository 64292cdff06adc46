using System.Text.Json;
using Microsoft.Playwright;
using Router.WebFront.Tests.Auth;
using Router.WebFront.Tests.Spend;
using static Microsoft.Playwright.Assertions;

namespace Router.WebFront.Tests.Console;

/// <summary>What a console session may not do: read another key's rows, use the admin API, or be driven from another site.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ConsoleSecurityTests(ConsoleFixture fixture)
{
    static ConsoleSecurityTests() => SetDefaultExpectTimeout((float)Timeouts.Event.TotalMilliseconds);

    [Fact]
    public async Task A_key_holder_sees_only_their_own_rows_and_is_refused_by_the_admin_api()
    {
        var (mineId, mine) = await fixture.CreateKeyAsync("holder-" + Guid.NewGuid().ToString("N")[..6]);
        var (otherId, other) = await fixture.CreateKeyAsync("other-" + Guid.NewGuid().ToString("N")[..6]);
        await ChatAsync(mine, "mine");
        await ChatAsync(other, "theirs");
        await WaitForLoggedAsync(mineId);
        await WaitForLoggedAsync(otherId);

        var page = await fixture.NewPageAsync();
        await ConsolePage.SignInAsync(page, mine);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "router_console");
        Assert.True(cookie.HttpOnly, "the session cookie must be HttpOnly");
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.False(cookie.Secure, "over plain HTTP the cookie cannot be Secure");

        await ConsolePage.GoAsync(page, "Requests");
        await Expect(page.Locator("#rq-table tbody")).ToContainTextAsync(mineId);
        await Expect(page.Locator("#rq-table tbody")).Not.ToContainTextAsync(otherId);
        await fixture.ScreenshotAsync(page, "10-key-holder-requests");

        // Asking for the other key by name still yields only the holder's own rows.
        var asked = await page.APIRequest.GetAsync($"/console/api/v1/requests?key_id={otherId}");
        Assert.Equal(200, asked.Status);
        var rows = (await asked.JsonAsync())!.Value.GetProperty("requests").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(mineId, r.GetProperty("key_id").GetString()));

        var csrf = (await (await page.APIRequest.GetAsync("/console/api/session")).JsonAsync())!.Value.GetProperty("csrf_token").GetString()!;
        var origin = fixture.Router.BaseUrl.GetLeftPart(UriPartial.Authority);
        foreach (var path in new[] { "/console/api/admin/requests", "/console/api/admin/keys", "/console/api/admin/usage", "/console/api/admin/cluster" })
        {
            var refused = await page.APIRequest.GetAsync(path);
            Assert.True(refused.Status == 403, $"GET {path} as a key holder: {refused.Status}");
        }

        var create = await page.APIRequest.PostAsync("/console/api/admin/keys", new()
        {
            Headers = new Dictionary<string, string> { ["Origin"] = origin, ["X-Console-Csrf"] = csrf },
            DataObject = new { user_id = "made-by-a-holder" },
        });
        Assert.Equal(403, create.Status);
    }

    [Fact]
    public async Task A_cross_site_post_to_the_console_is_refused()
    {
        var page = await fixture.NewPageAsync();
        await ConsolePage.SignInAsync(page, KeysRouterFixture.AdminKey);
        var user = "cross-site-" + Guid.NewGuid().ToString("N")[..6];
        var csrf = (await (await page.APIRequest.GetAsync("/console/api/session")).JsonAsync())!.Value.GetProperty("csrf_token").GetString()!;
        var origin = fixture.Router.BaseUrl.GetLeftPart(UriPartial.Authority);

        // A page of another origin (the simulator's) posts to the console with the browser's cookies.
        var elsewhere = await page.Context.NewPageAsync();
        await elsewhere.GotoAsync(new Uri(fixture.Simulator.BaseUrl, "/api/tags").ToString());
        await elsewhere.EvaluateAsync(
            "async ([url, user]) => { await fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ user_id: user }) }); }",
            new object[] { new Uri(fixture.Router.BaseUrl, "/console/api/admin/keys").ToString(), user });

        // The same call with the session cookie but a foreign Origin, or without the CSRF token, is a 403.
        var foreign = await page.APIRequest.PostAsync("/console/api/admin/keys", new()
        {
            Headers = new Dictionary<string, string> { ["Origin"] = "http://evil.example", ["X-Console-Csrf"] = csrf },
            DataObject = new { user_id = user },
        });
        Assert.Equal(403, foreign.Status);
        var noToken = await page.APIRequest.PostAsync("/console/api/admin/keys", new()
        {
            Headers = new Dictionary<string, string> { ["Origin"] = origin },
            DataObject = new { user_id = user },
        });
        Assert.Equal(403, noToken.Status);
        Assert.Contains("console_cross_site", await noToken.TextAsync());

        // With both, the console's own call goes through: the refusals above were the checks, not a broken route.
        var allowed = await page.APIRequest.PostAsync("/console/api/admin/keys", new()
        {
            Headers = new Dictionary<string, string> { ["Origin"] = origin, ["X-Console-Csrf"] = csrf },
            DataObject = new { user_id = user + "-own" },
        });
        Assert.Equal(201, allowed.Status);

        var keys = await fixture.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, "/admin/keys"), Timeouts.Token());
        var listed = JsonDocument.Parse(await keys.Content.ReadAsStringAsync()).RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => k.GetProperty("user_id").GetString()).ToList();
        Assert.DoesNotContain(user, listed);
        Assert.Contains(user + "-own", listed);
    }

    private async Task ChatAsync(string key, string text)
    {
        using var request = KeysRouterFixture.Admin(HttpMethod.Post, "/v1/chat/completions",
            new { model = "llama3.2", messages = new[] { new { role = "user", content = text } } }, key);
        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
        Assert.Equal(200, (int)response.StatusCode);
    }

    private Task WaitForLoggedAsync(string keyId) =>
        UsageApi.WaitForRowsAsync(AdminGetAsync, UsageApi.Writer(fixture.Router), $"key_id={keyId}", 1, $"the request log showing a row of key {keyId}");

    private async Task<JsonElement> AdminGetAsync(string pathAndQuery)
    {
        using var response = await fixture.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, pathAndQuery), Timeouts.Token());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
