using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Router.WebFront.Tests.Auth;
using Router.WebFront.Tests.Spend;

namespace Router.WebFront.Tests.Console;

/// <summary>
/// The router in Keys mode with prices and a request log, and Debian's Chromium driven by Playwright
/// (never a downloaded browser: scripts/test.sh installs the <c>chromium</c> package).
/// </summary>
public sealed class ConsoleFixture : RouterFixture
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>This run's screenshots: a folder of its own under the test output.</summary>
    public string ScreenshotDir { get; } = Path.Combine(AppContext.BaseDirectory, "console-screenshots", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Auth:Mode"] = "Keys";
        settings["Auth:AdminKey"] = KeysRouterFixture.AdminKey;
        settings["Auth:FailedAuthBurst"] = "100000";
        settings["Auth:AdminRequestsPerMinute"] = "100000";
        settings["Pricing:Models:llama3.2:Input"] = "0.15";
        settings["Pricing:Models:llama3.2:Output"] = "0.6";
        settings["RequestLog:FlushInterval"] = "00:00:00.050";
    }

    public async Task StartBrowserAsync()
    {
        if (Browser is not null) return;
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: scripts/test.sh installs Debian's chromium package.");
        Directory.CreateDirectory(ScreenshotDir);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>A fresh browser context (its own cookies) on a page of the console.</summary>
    public async Task<IPage> NewPageAsync()
    {
        await StartBrowserAsync();
        var context = await Browser.NewContextAsync(new() { BaseURL = Router.BaseUrl.ToString(), ViewportSize = new() { Width = 1280, Height = 860 } });
        context.SetDefaultTimeout((float)Timeouts.Event.TotalMilliseconds);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/");
        return page;
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    public async Task<(string Id, string Key)> CreateKeyAsync(string userId)
    {
        using var response = await Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Post, "/admin/keys", new { user_id = userId }), Timeouts.Token());
        Assert.Equal(201, (int)response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    /// <summary>Waits until the request log holds <paramref name="count"/> rows of <paramref name="keyId"/>, looking again after each batch its writer reports.</summary>
    public Task WaitForRowsAsync(string keyId, int count) =>
        UsageApi.WaitForRowsAsync(AdminGetAsync, UsageApi.Writer(Router), $"key_id={keyId}", count, $"rows of key {keyId}");

    private async Task<JsonElement> AdminGetAsync(string pathAndQuery)
    {
        using var response = await Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, pathAndQuery), Timeouts.Token());
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery}: {(int)response.StatusCode}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console in a browser";
}

/// <summary>The console's pages as a person uses them.</summary>
internal static class ConsolePage
{
    public static async Task SignInAsync(IPage page, string key)
    {
        await page.GetByLabel("Key", new() { Exact = true }).FillAsync(key);
        await page.GetByLabel("Key", new() { Exact = true }).PressAsync("Enter");
        await page.Locator("#who").WaitForAsync();
    }

    public static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByLabel("Key", new() { Exact = true }).WaitForAsync();
    }

    public static Task GoAsync(IPage page, string section) =>
        page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = section, Exact = true }).ClickAsync();

    /// <summary>Types a prompt and sends it with Enter, as a person would.</summary>
    public static async Task SendAsync(IPage page, string prompt)
    {
        var box = page.Locator("#pg-prompt");
        await box.FillAsync(prompt);
        await box.PressAsync("Enter");
    }
}
