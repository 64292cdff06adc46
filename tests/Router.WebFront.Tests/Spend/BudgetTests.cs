using System.Net.Http.Json;
using System.Text.Json;
using Router.Testing;
using Router.WebFront.Tests.Auth;

namespace Router.WebFront.Tests.Spend;

/// <summary>
/// Spend budgets through the real router: every surface refuses a spent key with 429
/// <c>budget_exceeded</c> in its own shape and <c>Retry-After</c> at the period's end; the last
/// request of a budget ends with <c>length</c>; the key's spend equals its log rows' costs, a client
/// cut and a resumed answer included.
/// </summary>
[Collection(BudgetRouterCollection.Name)]
public sealed class BudgetTests(BudgetRouterFixture fixture)
{
    public static TheoryData<string, string, string> Surfaces => new()
    {
        { "/complete", """{"message":"hello there"}""", "problem" },
        { "/v1/chat/completions", """{"model":"llama3.2","messages":[{"role":"user","content":"hello there"}]}""", "openai" },
        { "/v1/responses", """{"model":"llama3.2","input":"hello there"}""", "openai" },
        { "/v1/embeddings", """{"model":"nomic-embed-text","input":"hello there"}""", "openai" },
        { "/api/chat", """{"model":"llama3.2","messages":[{"role":"user","content":"hello there"}]}""", "ollama" },
        { "/api/generate", """{"model":"llama3.2","prompt":"hello there"}""", "ollama" },
        { "/api/embed", """{"model":"nomic-embed-text","input":"hello there"}""", "ollama" },
        { "/v1/messages", """{"model":"llama3.2","max_tokens":20,"messages":[{"role":"user","content":"hello there"}]}""", "anthropic" },
        { "/v1/route", """{"message":"hello there"}""", "problem" },
    };

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task A_spent_key_is_refused_with_budget_exceeded_in_the_surfaces_shape_until_the_next_utc_day(string path, string json, string shape)
    {
        var (_, key) = await fixture.CreateKeyAsync(new { spend_per_day = 0 });
        var before = UntilMidnight();
        using var response = await fixture.Http.SendAsync(BudgetRouterFixture.Post(key, path, json), Timeouts.Token());
        var after = UntilMidnight();
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(429 == (int)response.StatusCode, $"{path}: {(int)response.StatusCode} {text}");
        var retryAfter = (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(retryAfter, Math.Max(1, (int)after.TotalSeconds), (int)Math.Ceiling(before.TotalSeconds) + 1);
        Assert.Equal("0", response.Headers.GetValues("x-ratelimit-limit-spend-day").Single());
        var body = JsonDocument.Parse(text).RootElement;
        switch (shape)
        {
            case "problem":
                Assert.Equal("budget_exceeded", body.GetProperty("code").GetString());
                break;
            case "openai":
                Assert.Equal("budget_exceeded", body.GetProperty("error").GetProperty("code").GetString());
                Assert.Equal("rate_limit_error", body.GetProperty("error").GetProperty("type").GetString());
                break;
            case "ollama":
                Assert.Contains("budget", body.GetProperty("error").GetString(), StringComparison.Ordinal);
                break;
            default:
                Assert.Equal("error", body.GetProperty("type").GetString());
                Assert.Equal("rate_limit_error", body.GetProperty("error").GetProperty("type").GetString());
                Assert.Contains("budget", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
                break;
        }
    }

    [Fact]
    public async Task The_last_request_of_a_budget_ends_with_length_and_the_spend_stays_under_it_and_equals_the_log()
    {
        const decimal Budget = 1.0m;
        var (id, key) = await fixture.CreateKeyAsync(new { spend_per_day = Budget, spend_per_month = 100 });
        var finishes = new List<string>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            // 20 output tokens at 0.01 cost 0.20; the client allows 40, which the last requests' remainder cannot pay for.
            var json = JsonSerializer.Serialize(new { model = "llama3.2", max_tokens = 40, messages = new[] { new { role = "user", content = $"count the stars {i} [[sim:tokens=20]]" } } });
            var response = await fixture.Http.SendAsync(BudgetRouterFixture.Post(key, "/v1/chat/completions", json), Timeouts.Token());
            if ((int)response.StatusCode == 429)
            {
                refused = response;
                break;
            }

            using (response)
            {
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.True(response.IsSuccessStatusCode, $"request {i}: {(int)response.StatusCode} {body}");
                finishes.Add(body.GetProperty("choices")[0].GetProperty("finish_reason").GetString()!);
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("budget_exceeded", error.GetProperty("code").GetString());
        }

        Assert.True(finishes.Count >= 3 && finishes[^1] == "length" && finishes[..^1].All(f => f == "stop"),
            $"the requests before the refusal should end with stop and the last with length: {string.Join(", ", finishes)}");
        var usage = (await fixture.KeyAsync(id)).GetProperty("usage");
        var spent = usage.GetProperty("spend_today").GetDecimal();
        Assert.True(spent <= Budget, $"spend {spent} went past the budget {Budget}");
        Assert.Equal(spent, usage.GetProperty("spend_this_month").GetDecimal());
        Assert.Equal(0m, usage.GetProperty("spend_reserved").GetDecimal());
        var rows = await fixture.WaitForRowsAsync($"key_id={id}&outcome=done", finishes.Count, "the admitted requests' rows");
        Assert.Equal(spent, rows.Sum(r => r.GetProperty("cost").GetDecimal()));
    }

    [Fact]
    public async Task A_client_that_leaves_mid_stream_is_billed_its_prompt_and_what_was_generated_and_the_key_agrees()
    {
        var (id, key) = await fixture.CreateKeyAsync(new { spend_per_day = 50 });
        var json = JsonSerializer.Serialize(new { model = "llama3.2", stream = true, max_tokens = 400, messages = new[] { new { role = "user", content = "tell a long story [[sim:tokens=400,tps=40]]" } } });
        using (var response = await fixture.Http.SendAsync(BudgetRouterFixture.Post(key, "/v1/chat/completions", json), HttpCompletionOption.ResponseHeadersRead, Timeouts.Token()))
        {
            Assert.Equal(200, (int)response.StatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            for (var chunks = 0; chunks < 5;)
            {
                var line = await reader.ReadLineAsync().WaitAsync(Timeouts.Event) ?? throw new InvalidOperationException("the stream ended before 5 chunks");
                if (line.StartsWith("data: {", StringComparison.Ordinal)) chunks++;
            }
        }

        var row = Assert.Single(await fixture.WaitForRowsAsync($"key_id={id}", 1, "the cut request's row"));
        Assert.Equal("client_disconnected", row.GetProperty("outcome").GetString());
        Assert.True(row.GetProperty("output_tokens").GetInt64() >= 5, $"billed for what was relayed: {row}");
        Assert.True(row.GetProperty("prompt_tokens").GetInt64() > 0, $"billed for the prompt: {row}");
        var cost = row.GetProperty("cost").GetDecimal();
        Assert.True(cost > 0m, $"the cut answer costs something: {row}");
        var usage = (await fixture.KeyAsync(id)).GetProperty("usage");
        Assert.Equal(cost, usage.GetProperty("spend_today").GetDecimal());
        Assert.Equal(0m, usage.GetProperty("spend_reserved").GetDecimal());
    }

    [Fact]
    public async Task A_resumed_answer_is_billed_once_on_its_keys_row()
    {
        var (id, key) = await fixture.CreateKeyAsync(new { spend_per_day = 50 });
        var nonce = Guid.NewGuid().ToString("N");
        string requestId;
        int lastId;
        using (var post = BudgetRouterFixture.Post(key, "/complete", JsonSerializer.Serialize(new { message = $"resume {nonce} [[sim:tokens=30,tps=20,hold={nonce},holdafter=3]]" })))
        await using (var sse = await CompleteStream.OpenAsync(fixture.Http, post, Timeouts.Token()))
        {
            Assert.Equal(200, (int)sse.Response.StatusCode);
            requestId = sse.RequestId;
            lastId = (await sse.NextAsync())!.Id!.Value;
        }

        await fixture.Simulator.Holds.WaitUntilHeldAsync(nonce, Timeouts.Event);
        using var resume = CompleteStream.ResumeRequest(requestId, lastId, null);
        resume.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        await using var resumed = await CompleteStream.OpenAsync(fixture.Http, resume, Timeouts.Token());
        Assert.Equal(200, (int)resumed.Response.StatusCode);
        fixture.Simulator.Holds.Release(nonce);
        var done = (await resumed.ReadToEndAsync())[^1];
        Assert.True(done.IsDone, $"the resumed answer ended with {done.Data}");

        var rows = await fixture.WaitForRowsAsync($"key_id={id}", 2, "the first reader's row and the resume's, both under the key");
        var billed = Assert.Single(rows, r => r.GetProperty("cost").GetDecimal() > 0m);
        Assert.Equal("complete.resume", billed.GetProperty("surface").GetString());
        Assert.Equal(done.Data.GetProperty("cost").GetDecimal(), billed.GetProperty("cost").GetDecimal());
        var usage = (await fixture.KeyAsync(id)).GetProperty("usage");
        Assert.Equal(billed.GetProperty("cost").GetDecimal(), usage.GetProperty("spend_today").GetDecimal());
        Assert.Equal(0m, usage.GetProperty("spend_reserved").GetDecimal());
    }

    [Fact]
    public async Task A_detached_answer_nobody_resumes_is_still_billed_once_under_its_key()
    {
        var (id, key) = await fixture.CreateKeyAsync(new { spend_per_day = 50 });
        var nonce = Guid.NewGuid().ToString("N");
        using (var post = BudgetRouterFixture.Post(key, "/complete", JsonSerializer.Serialize(new { message = $"left alone {nonce} [[sim:tokens=30,hold={nonce},holdafter=3]]" })))
        await using (var sse = await CompleteStream.OpenAsync(fixture.Http, post, Timeouts.Token()))
        {
            Assert.Equal(200, (int)sse.Response.StatusCode);
            Assert.NotNull(await sse.NextAsync());
        }

        // The generation goes on for WebFront:ResumeGrace (10 s here), is stopped, and its end is read and billed by the web front.
        var rows = await fixture.WaitForRowsAsync($"key_id={id}", 2, "the client's row and the billed end's, both under the key", TimeSpan.FromSeconds(90));
        var billed = Assert.Single(rows, r => r.GetProperty("cost").GetDecimal() > 0m);
        Assert.True(billed.GetProperty("prompt_tokens").GetInt64() > 0 && billed.GetProperty("output_tokens").GetInt64() >= 3, $"billed for the prompt and what was generated: {billed}");
        var usage = (await fixture.KeyAsync(id)).GetProperty("usage");
        Assert.Equal(billed.GetProperty("cost").GetDecimal(), usage.GetProperty("spend_today").GetDecimal());
        Assert.Equal(0m, usage.GetProperty("spend_reserved").GetDecimal());
        fixture.Simulator.Holds.Release(nonce);
    }

    [Fact]
    public async Task Embeddings_are_billed_on_their_input_and_a_routing_dry_run_costs_nothing()
    {
        var (id, key) = await fixture.CreateKeyAsync(new { spend_per_day = 5 });
        using (var route = await fixture.Http.SendAsync(BudgetRouterFixture.Post(key, "/v1/route", """{"message":"hello there"}"""), Timeouts.Token()))
        {
            Assert.Equal(200, (int)route.StatusCode);
        }

        var afterRoute = (await fixture.KeyAsync(id)).GetProperty("usage");
        Assert.Equal(0m, afterRoute.GetProperty("spend_reserved").GetDecimal());
        Assert.Equal(0m, afterRoute.GetProperty("spend_today").GetDecimal());

        using (var embed = await fixture.Http.SendAsync(BudgetRouterFixture.Post(key, "/v1/embeddings", """{"model":"nomic-embed-text","input":["the first text","the second text"]}"""), Timeouts.Token()))
        {
            Assert.Equal(200, (int)embed.StatusCode);
        }

        var row = Assert.Single(await fixture.WaitForRowsAsync($"key_id={id}", 1, "the embedding's row"));
        Assert.Equal("openai.embeddings", row.GetProperty("surface").GetString());
        Assert.Equal(row.GetProperty("prompt_tokens").GetInt64() * BudgetRouterFixture.Input / 1_000_000m, row.GetProperty("cost").GetDecimal());
        var usage = (await fixture.KeyAsync(id)).GetProperty("usage");
        Assert.Equal(row.GetProperty("cost").GetDecimal(), usage.GetProperty("spend_today").GetDecimal());
        Assert.Equal(0m, usage.GetProperty("spend_reserved").GetDecimal());
    }

    [Theory]
    [InlineData("""{"spend_per_day":-1}""", "spend_per_day")]
    [InlineData("""{"spend_per_month":"5"}""", "spend_per_month")]
    [InlineData("""{"spend_per_day":true}""", "spend_per_day")]
    public async Task Bad_budgets_are_a_400_naming_the_field(string limits, string field)
    {
        using var request = KeysRouterFixture.Admin(HttpMethod.Post, "/admin/keys");
        request.Content = new StringContent($$"""{"user_id":"budget-bad","limits":{{limits}}}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(400 == (int)response.StatusCode, body);
        Assert.Contains($"'{field}'", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_api_shows_the_budgets_and_a_patch_changes_them()
    {
        var (id, _) = await fixture.CreateKeyAsync(new { spend_per_day = 2.5, spend_per_month = 40 });
        var created = await fixture.KeyAsync(id);
        Assert.Equal(2.5m, created.GetProperty("limits").GetProperty("spend_per_day").GetDecimal());
        Assert.Equal(40m, created.GetProperty("limits").GetProperty("spend_per_month").GetDecimal());
        Assert.Equal(0m, created.GetProperty("usage").GetProperty("spend_today").GetDecimal());

        using var patch = KeysRouterFixture.Admin(HttpMethod.Patch, $"/admin/keys/{id}", new { limits = new { spend_per_day = (decimal?)null } });
        using var patched = await fixture.Http.SendAsync(patch, Timeouts.Token());
        Assert.Equal(200, (int)patched.StatusCode);
        var after = await fixture.KeyAsync(id);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("limits").GetProperty("spend_per_day").ValueKind);
        Assert.Equal(40m, after.GetProperty("limits").GetProperty("spend_per_month").GetDecimal());
    }

    private static TimeSpan UntilMidnight() => DateTime.UtcNow.Date.AddDays(1) - DateTime.UtcNow;
}
