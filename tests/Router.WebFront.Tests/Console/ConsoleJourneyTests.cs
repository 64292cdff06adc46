using Microsoft.Playwright;
using Router.OllamaSimulator;
using Router.WebFront.Tests.Auth;
using static Microsoft.Playwright.Assertions;

namespace Router.WebFront.Tests.Console;

/// <summary>
/// The console end to end in headless Chromium against the real router and the simulator: the
/// operator makes a key, its holder chats in the playground, stops a long answer, finds the request
/// with its cost, and is refused once the operator revokes the key.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ConsoleJourneyTests(ConsoleFixture fixture)
{
    static ConsoleJourneyTests() => SetDefaultExpectTimeout((float)Timeouts.Event.TotalMilliseconds);

    private const string LastAnswer = "() => [...document.querySelectorAll('[data-testid=answer]')].pop()?.textContent ?? ''";

    [Fact]
    public async Task Operator_creates_a_key_whose_holder_chats_stops_finds_the_cost_and_is_refused_after_revocation()
    {
        var operatorPage = await fixture.NewPageAsync();
        await fixture.ScreenshotAsync(operatorPage, "01-sign-in");
        await ConsolePage.SignInAsync(operatorPage, KeysRouterFixture.AdminKey);
        await Expect(operatorPage.Locator("#who")).ToHaveTextAsync("Operator");

        // Keys: create one; the key is shown once.
        await ConsolePage.GoAsync(operatorPage, "Keys");
        var user = "console-" + Guid.NewGuid().ToString("N")[..6];
        await operatorPage.GetByLabel("User", new() { Exact = true }).FillAsync(user);
        await operatorPage.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var key = (await operatorPage.Locator("#new-key").TextContentAsync())!.Trim();
        Assert.StartsWith("rk_", key);
        await Expect(operatorPage.Locator("#keys-table")).ToContainTextAsync(user);
        await fixture.ScreenshotAsync(operatorPage, "02-keys-created");

        // The holder signs in with it (a browser of their own) and sees only their sections.
        var holder = await fixture.NewPageAsync();
        await ConsolePage.SignInAsync(holder, key);
        await Expect(holder.Locator("#who")).ToContainTextAsync(user);
        await Expect(holder.GetByRole(AriaRole.Navigation)).Not.ToContainTextAsync("Keys");

        // Playground: tokens arrive while the answer is still streaming, then the routing badge and the cost.
        var nonce = Guid.NewGuid().ToString("N")[..8];
        await ConsolePage.SendAsync(holder, $"Say something {nonce} [[sim:tokens=60,tps=15]]");
        await holder.WaitForFunctionAsync(
            "() => ([...document.querySelectorAll('[data-testid=answer]')].pop()?.textContent ?? '').length > 0 && !document.querySelector('#pg-stop').disabled",
            null, new() { Timeout = (float)Timeouts.Event.TotalMilliseconds });
        var partial = await holder.EvaluateAsync<string>(LastAnswer);
        await fixture.ScreenshotAsync(holder, "03-playground-streaming");
        await Expect(holder.Locator("#pg-stop")).ToBeDisabledAsync();
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        var full = await holder.EvaluateAsync<string>(LastAnswer);
        Assert.Equal(simulated.Text, full);
        Assert.True(partial.Length < full.Length, $"the page showed the answer only when it was complete ({partial.Length} of {full.Length} characters at the first look)");
        var routing = holder.GetByTestId("routing").Last;
        await Expect(routing).ToContainTextAsync(simulated.Model);
        await Expect(routing).ToContainTextAsync("category");
        await Expect(holder.GetByTestId("cost").Last).ToContainTextAsync("cost 0.");
        await Expect(holder.GetByTestId("stats").Last).ToContainTextAsync("tokens/s");
        await fixture.ScreenshotAsync(holder, "04-playground-answer");

        // Stop: the fetch is aborted and the simulator sees its client leave.
        var longNonce = Guid.NewGuid().ToString("N")[..8];
        await ConsolePage.SendAsync(holder, $"Tell a long story {longNonce} [[sim:tokens=500,tps=5]]");
        await holder.WaitForFunctionAsync($"() => ({LastAnswer})().length > 0", null, new() { Timeout = (float)Timeouts.Event.TotalMilliseconds });
        await holder.Locator("#pg-stop").ClickAsync();
        var cancelled = await fixture.Simulator.Journal.WaitForAsync(
            r => r.LastUserMessage?.Contains(longNonce) == true && r.IsTerminal, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, cancelled.Outcome);
        Assert.True(cancelled.TokensSent < 500, $"the simulator sent all {cancelled.TokensSent} tokens: the stop did not reach it");
        await Expect(holder.GetByTestId("stats").Last).ToContainTextAsync("Stopped");
        await fixture.ScreenshotAsync(holder, "05-playground-stopped");

        // Requests: the holder's request is in the log with its cost; its details show the routing.
        await ConsolePage.GoAsync(holder, "Requests");
        var row = holder.Locator("#rq-table tbody tr", new() { HasText = "done" }).First;
        await Expect(row).ToContainTextAsync(simulated.Model);
        await Expect(row).ToContainTextAsync("0.0000");
        await row.ClickAsync();
        await Expect(holder.Locator("#rq-detail")).ToContainTextAsync("Cost");
        await Expect(holder.Locator("#rq-detail")).ToContainTextAsync("Routing reason");
        await fixture.ScreenshotAsync(holder, "06-requests");

        // The operator revokes the key; the holder's playground is refused.
        operatorPage.Dialog += (_, dialog) => dialog.AcceptAsync();
        await ConsolePage.GoAsync(operatorPage, "Keys");
        var keyRow = operatorPage.Locator("#keys-table tbody tr", new() { HasText = user });
        await keyRow.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(keyRow).ToContainTextAsync("revoked");
        await ConsolePage.GoAsync(holder, "Playground");
        await ConsolePage.SendAsync(holder, "Still there?");
        await Expect(holder.GetByRole(AriaRole.Alert).Last).ToContainTextAsync("401");
        await fixture.ScreenshotAsync(holder, "07-playground-refused");
    }

    [Fact]
    public async Task Operator_sees_usage_a_keys_usage_over_time_and_the_cluster_live()
    {
        var page = await fixture.NewPageAsync();
        await ConsolePage.SignInAsync(page, KeysRouterFixture.AdminKey);
        var user = "usage-" + Guid.NewGuid().ToString("N")[..6];
        var (keyId, key) = await fixture.CreateKeyAsync(user);
        using (var chat = KeysRouterFixture.Admin(HttpMethod.Post, "/v1/chat/completions",
            new { model = "llama3.2", messages = new[] { new { role = "user", content = "hello for usage" } } }, key))
        using (var answered = await fixture.Http.SendAsync(chat, Timeouts.Token()))
        {
            Assert.Equal(200, (int)answered.StatusCode);
        }

        await fixture.WaitForRowsAsync(keyId, 1);
        await ConsolePage.GoAsync(page, "Usage");
        await Expect(page.Locator("#usage-out table")).ToContainTextAsync("llama3.2");
        await Expect(page.Locator("#usage-out svg").First).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "08-usage");

        // Keys: one key's requests, tokens and cost per hour; its one request is in one hour's column.
        await ConsolePage.GoAsync(page, "Keys");
        await page.Locator("#keys-table tbody tr", new() { HasText = user }).GetByRole(AriaRole.Button, new() { Name = "Usage" }).ClickAsync();
        var hours = page.Locator("#key-usage-body tbody tr");
        await Expect(hours).ToHaveCountAsync(1);
        await Expect(hours.Locator("td").Nth(0)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$"));
        await Expect(hours.Locator("td").Nth(1)).ToHaveTextAsync("1");
        await Expect(page.Locator("#key-usage-body figure", new() { HasText = "Requests" }).Locator("rect[data-value='1']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#key-usage-body figure", new() { HasText = "Cost" }).Locator("rect.bar:not([data-value='0'])")).ToHaveCountAsync(1);
        await page.Locator("#key-usage-window").SelectOptionAsync("day");
        await Expect(page.Locator("#key-usage-body caption")).ToContainTextAsync("by day");
        await Expect(hours).ToHaveCountAsync(1);
        await page.Locator("#key-usage-window").SelectOptionAsync("hour");
        await Expect(page.Locator("#key-usage-body caption")).ToContainTextAsync("by hour");
        await fixture.ScreenshotAsync(page, "11-key-usage");

        // Cluster: this web front, the silo with its replica and classifier tiers, and a stream seen
        // opening and closing without a reload (the page reads the cluster again every 3 seconds).
        await ConsolePage.GoAsync(page, "Cluster");
        await Expect(page.Locator("#cluster-out table", new() { HasText = "Silos" })).ToContainTextAsync("Active");
        await Expect(page.Locator("#cluster-out table", new() { HasText = "Web fronts" })).ToContainTextAsync("(this one)");
        var replica = page.Locator("#replicas tbody tr", new() { HasText = $":{fixture.Simulator.BaseUrl.Port}" });
        await Expect(replica).ToContainTextAsync("up");
        await Expect(page.Locator("#tiers tbody tr td:not(.empty)").First).ToBeVisibleAsync();
        await Expect(page.Locator("#open-streams")).ToHaveTextAsync("0");

        using var streaming = new CancellationTokenSource(Timeouts.Event);
        var open = KeysRouterFixture.Complete(key, $"a long one {Guid.NewGuid():N} [[sim:tokens=600,tps=10]]");
        using (var response = await fixture.Http.SendAsync(open, HttpCompletionOption.ResponseHeadersRead, streaming.Token))
        {
            Assert.Equal(200, (int)response.StatusCode);
            await Expect(page.Locator("#open-streams")).ToHaveTextAsync("1");
            await Expect(page.Locator("#running-generations")).ToHaveTextAsync("1");
            await fixture.ScreenshotAsync(page, "09-cluster");
            await streaming.CancelAsync();
        }

        await Expect(page.Locator("#open-streams")).ToHaveTextAsync("0");
        await Expect(page.Locator("#running-generations")).ToHaveTextAsync("0");

        await ConsolePage.SignOutAsync(page);
        var session = await page.APIRequest.GetAsync("/console/api/session");
        Assert.Equal(401, session.Status);
    }
}
