using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Router.Cluster.Tests.Infrastructure;
using Router.Testing;

namespace Router.Cluster.Tests;

/// <summary>
/// A key's daily spend budget on two web fronts and two silos on PostgreSQL (membership, grain state
/// and the request log), all separate processes: 200 requests at once through both fronts never
/// spend past the budget, those past it get 429 <c>budget_exceeded</c>, and the log's cost sum equals
/// what the key's grain charged, exactly.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class BudgetClusterTests(ClusterServices services, ITestOutputHelper output)
{
    private const string AdminKey = "cluster-budget-admin-key-0123456789";
    private const int Burst = 200;

    /// <summary>A small daily budget: 0.001 per input token and 0.01 per output token pay for a few dozen answers.</summary>
    private const decimal Budget = 2.0m;

    [Fact]
    public async Task Two_hundred_requests_at_once_never_spend_past_the_budget_and_the_log_sums_to_the_keys_spend()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var store = new Dictionary<string, string>
        {
            ["Orleans:Clustering:Provider"] = "AdoNet",
            ["Orleans:Clustering:ConnectionString"] = postgres.ConnectionString,
            ["Orleans:Storage:Provider"] = "AdoNet",
        };
        var webFront = new Dictionary<string, string>(store)
        {
            ["Auth:Mode"] = "Keys",
            ["Auth:AdminKey"] = AdminKey,
            ["Auth:AdminRequestsPerMinute"] = "100000",
            ["Auth:DefaultTokenReservation"] = "10",
            ["Pricing:Models:llama3.2:Input"] = "1000",
            ["Pricing:Models:llama3.2:Output"] = "10000",
            ["RequestLog:FlushInterval"] = "00:00:00.050",
        };
        await using var cluster = await LocalCluster.StartAsync(services, silos: 2, webFronts: 2, siloSettings: store, webFrontSettings: webFront);
        var fronts = cluster.WebFronts;
        var figures = new Figures("Spend budget, 2 web fronts and 2 silos on PostgreSQL, 200 requests at once", output);

        var (keyId, key) = await CreateKeyAsync(fronts[0], new { spend_per_day = Budget });
        var results = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => SendAsync(fronts[i % 2], key, i)));
        var admitted = results.Count(r => r.Status == 200);
        var refused = results.Count(r => r.Status == 429);
        figures.Add("answered / refused with budget_exceeded", $"{admitted} / {refused}");
        Assert.True(results.All(r => r.Status == 200 && r.Done || r.Status == 429 && r.Code == "budget_exceeded" && r.RetryAfter >= 1),
            "every request is answered to its end or refused with budget_exceeded and Retry-After: " + Summarize(results));
        Assert.True(admitted > 0 && refused > 0, "the burst should both spend and run out: " + Summarize(results));

        // Then one at a time, alternating fronts, until the budget is spent: the holds of the burst no
        // longer stand in the way. Whether the last one is cut (length) depends on where the
        // remainder falls, so it is a figure here; the embedded router's tests pin it.
        var finishes = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var (status, finish) = await SendChatAsync(fronts[i % 2], key, $"one at a time {i} [[sim:ttft=0,tokens=5]]");
            if (status == 429) break;
            Assert.True(status == 200, $"sequential request {i}: {status}");
            finishes.Add(finish!);
        }

        figures.Add("answered one at a time after the burst, then refused", $"{finishes.Count} (the last ended with '{finishes.LastOrDefault()}')");
        Assert.True(finishes.Count > 0 && finishes.All(f => f is "stop" or "length"), $"the sequential answers: {string.Join(", ", finishes)}");

        // Every answer's end is settled before its response ends; asked through the other front.
        var usage = await UsageAsync(fronts[1], keyId);
        var spent = usage.GetProperty("spend_today").GetDecimal();
        figures.Add("spend of the key (budget 2.0)", spent.ToString(CultureInfo.InvariantCulture));
        Assert.True(spent <= Budget, $"spend {spent} went past the budget {Budget}");

        // Refused one at a time only when the remainder does not pay for a prompt and one output token.
        Assert.True(Budget - spent < 0.1m, $"the budget should be used up to less than one request's cost, {Budget - spent} was left");
        Assert.Equal(0m, usage.GetProperty("spend_reserved").GetDecimal());

        // A refusal's row names its user (the key is not resolved to a lease then); every answered row names the key too.
        var rows = await WaitForRowsAsync(fronts[0], "user_id=budget-user", Burst + finishes.Count + 1);
        Assert.All(rows.Where(r => r.GetProperty("outcome").GetString() == "done"), r => Assert.Equal(keyId, r.GetProperty("key_id").GetString()));
        var logged = rows.Sum(r => r.GetProperty("cost").GetDecimal());
        figures.Add("rows in the PostgreSQL log (answered, rejected)", $"{rows.Count(r => r.GetProperty("outcome").GetString() == "done")}, {rows.Count(r => r.GetProperty("outcome").GetString() == "rejected")}");
        figures.Add("cost sum of the rows", logged.ToString(CultureInfo.InvariantCulture));
        figures.Add("rows written by each web front", string.Join(", ", rows.GroupBy(r => r.GetProperty("web_front").GetString()).Select(g => g.Count())));
        figures.Save();
        Assert.Equal(admitted + finishes.Count, rows.Count(r => r.GetProperty("outcome").GetString() == "done"));
        Assert.Equal(spent, logged);
    }

    private sealed record Result(int Status, bool Done, string? Code, int RetryAfter);

    /// <summary>Alternates the seed's <c>/complete</c> (the default reservation) and OpenAI chat with a cap of its own.</summary>
    private static async Task<Result> SendAsync(WebFrontProcess front, string key, int i)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var body = i % 2 == 0
            ? JsonSerializer.Serialize(new { message = $"budget burst number {i} [[sim:ttft=0,tokens=5]]" })
            : JsonSerializer.Serialize(new { model = "llama3.2", max_tokens = 10, messages = new[] { new { role = "user", content = $"budget burst number {i} [[sim:ttft=0,tokens=5]]" } } });
        using var request = new HttpRequestMessage(HttpMethod.Post, i % 2 == 0 ? "/complete" : "/v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await front.Http.SendAsync(request, cts.Token);
        var text = await response.Content.ReadAsStringAsync(cts.Token);
        var status = (int)response.StatusCode;
        if (status != 200)
        {
            var json = JsonDocument.Parse(text).RootElement;
            var code = json.TryGetProperty("code", out var c) ? c.GetString() : json.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e.GetProperty("code").GetString() : null;
            return new Result(status, false, code, response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : 0);
        }

        var done = i % 2 == 0 ? text.Contains("\"done\":true", StringComparison.Ordinal) : JsonDocument.Parse(text).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString() is "stop" or "length";
        return new Result(status, done, null, 0);
    }

    /// <summary>An OpenAI chat request allowing 10 output tokens; its status and finish reason.</summary>
    private static async Task<(int Status, string? Finish)> SendChatAsync(WebFrontProcess front, string key, string message)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { model = "llama3.2", max_tokens = 10, messages = new[] { new { role = "user", content = message } } }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await front.Http.SendAsync(request, cts.Token);
        var text = await response.Content.ReadAsStringAsync(cts.Token);
        if ((int)response.StatusCode != 200) return ((int)response.StatusCode, null);
        return (200, JsonDocument.Parse(text).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    private static async Task<(string Id, string Key)> CreateKeyAsync(WebFrontProcess front, object limits)
    {
        using var request = Admin(HttpMethod.Post, "/admin/keys", new { user_id = "budget-user", limits });
        using var response = await front.Http.SendAsync(request);
        Assert.Equal(201, (int)response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    private static async Task<JsonElement> UsageAsync(WebFrontProcess front, string keyId)
    {
        using var request = Admin(HttpMethod.Get, $"/admin/keys/{keyId}");
        using var response = await front.Http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");
    }

    /// <summary>Every row of the key, once the log holds <paramref name="count"/> (rows are written behind the answers).</summary>
    private static async Task<List<JsonElement>> WaitForRowsAsync(WebFrontProcess front, string filter, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var rows = new List<JsonElement>();
        while (DateTime.UtcNow < deadline)
        {
            rows = await AllRowsAsync(front, filter);
            if (rows.Count >= count) return rows;
            await poll.WaitForNextTickAsync();
        }

        throw new TimeoutException($"the log held {rows.Count} rows for {filter}, not {count}, after 60 s");
    }

    private static async Task<List<JsonElement>> AllRowsAsync(WebFrontProcess front, string filter)
    {
        var rows = new List<JsonElement>();
        string? cursor = null;
        do
        {
            using var request = Admin(HttpMethod.Get, $"/admin/requests?{filter}&from=2000-01-01&limit=100{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            using var response = await front.Http.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            rows.AddRange(page.GetProperty("requests").EnumerateArray().Select(r => r.Clone()));
            cursor = page.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return rows;
    }

    private static HttpRequestMessage Admin(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return request;
    }

    private static string Summarize(IEnumerable<Result> results) =>
        string.Join(", ", results.GroupBy(r => $"{r.Status} {r.Code}{(r.Status == 200 && !r.Done ? " without its end" : "")}").OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
}
