using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.Testing;
using Router.WebFront.RequestLog;
using Router.WebFront.Tests.Auth;
using Router.WebFront.Tests.Spend;

namespace Router.WebFront.Tests.RequestLog;

/// <summary>What an operator switches on the request log: text kept in rows, retention; and what a client cut-off costs.</summary>
public sealed class RequestLogOptionsTests : IAsyncLifetime
{
    private OllamaSimulator.OllamaSimulator _simulator = null!;
    private ClassifierStub _classifier = null!;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"router-requests-{Guid.NewGuid():N}.db");

    public async Task InitializeAsync()
    {
        _simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new OllamaSimulator.SimulatorOptions { TimeToFirstTokenMs = 10, TokensPerSecond = 200, ResponseTokens = 6 });
        _classifier = await ClassifierStub.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _classifier.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Rows_keep_prompt_and_answer_text_only_when_switched_on_and_old_rows_expire()
    {
        // A row from long ago, already in the file the router will use.
        var store = new SqliteRequestLogStore(_path, TimeSpan.FromSeconds(10));
        await store.MigrateAsync(CancellationToken.None);
        var old = DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeMilliseconds();
        await store.InsertAsync([new RequestLogRow(old, "old-row", "complete", null, "old-user", null, "llama3.2", null, null, null, null,
            1, 1, null, 0.5m, false, "USD", 1, 1, "done", null, "front", null, null)], CancellationToken.None);

        await using var router = await StartAsync(new() { ["RequestLog:IncludeText"] = "true", ["RequestLog:Retention"] = "1.00:00:00" });
        var user = $"text-{Guid.NewGuid():N}"[..16];
        var nonce = Guid.NewGuid().ToString("N");
        await using (var sse = await SseClient.PostAsync(router.Http, $"keep this {nonce}", user, Timeouts.Token()))
        {
            Assert.True((await sse.ReadToEndAsync(Timeouts.Token()))[^1].IsDone);
        }

        var simulated = await _simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        var row = Assert.Single(await UsageApi.WaitForRowsAsync(Admin(router), UsageApi.Writer(router), $"user_id={user}", 1, "the row with text"));
        Assert.Equal($"keep this {nonce}", row.GetProperty("prompt").GetString());
        Assert.Equal(simulated.Text, row.GetProperty("answer").GetString());

        // Cleanup runs after the writer's first batch: the row older than the retention goes.
        var left = -1;
        await UsageApi.UntilAsync(UsageApi.Writer(router), async () =>
        {
            left = (await UsageApi.AllRowsAsync(Admin(router), "user_id=old-user&from=2000-01-01")).Count;
            return left == 0;
        }, () => $"the row older than RequestLog:Retention was not deleted ({left} left)");
    }

    [Fact]
    public async Task A_client_that_leaves_an_openai_stream_is_billed_the_routers_count_of_what_it_got()
    {
        await using var router = await StartAsync(new() { ["Pricing:Models:llama3.2:Input"] = "1", ["Pricing:Models:llama3.2:Output"] = "2" });
        var user = $"gone-{Guid.NewGuid():N}"[..16];
        var body = JsonSerializer.Serialize(new
        {
            model = "llama3.2", stream = true, messages = new[] { new { role = "user", content = "a long answer please [[sim:tokens=400,tps=20]]" } },
        });
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") })
        {
            request.Headers.Add("X-User-Id", user);
            using var response = await router.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Timeouts.Token());
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(stream);
            var contentLines = 0;
            while (contentLines < 3 && await reader.ReadLineAsync(Timeouts.Token()) is { } line)
            {
                if (line.Contains("\"content\":\"", StringComparison.Ordinal)) contentLines++;
            }

            Assert.Equal(3, contentLines);
        }

        var row = Assert.Single(await UsageApi.WaitForRowsAsync(Admin(router), UsageApi.Writer(router), $"user_id={user}", 1, "the row of the client that left"));
        Assert.Equal("client_disconnected", row.GetProperty("outcome").GetString());
        Assert.Equal("openai.chat", row.GetProperty("surface").GetString());
        Assert.Equal("llama3.2", row.GetProperty("model_requested").GetString());
        Assert.True(row.GetProperty("cost_estimated").GetBoolean());
        var prompt = row.GetProperty("prompt_tokens").GetInt64();
        var output = row.GetProperty("output_tokens").GetInt64();
        Assert.True(prompt > 0 && output > 0, $"prompt {prompt} and output {output} are counted");
        Assert.True(output < 400, "only what was relayed is billed");
        Assert.Equal((prompt * 1m + output * 2m) / 1_000_000m, row.GetProperty("cost").GetDecimal());
    }

    private Task<RouterHost> StartAsync(Dictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ollama:BaseUrl"] = _simulator.BaseUrl.ToString(),
            ["Classifier:Url"] = _classifier.Url.ToString(),
            ["Auth:AdminKey"] = KeysRouterFixture.AdminKey,
            // These tests poll the admin API for log rows; its per-address throttle (on main) is another test's subject.
            ["Auth:AdminRequestsPerMinute"] = "100000",
            ["RequestLog:Path"] = _path,
            ["RequestLog:FlushInterval"] = "00:00:00.050",
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return RouterHost.StartAsync(settings);
    }

    private static Func<string, Task<JsonElement>> Admin(RouterHost router) => async pathAndQuery =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", KeysRouterFixture.AdminKey);
        using var response = await router.Http.SendAsync(request, Timeouts.Token());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    };
}
