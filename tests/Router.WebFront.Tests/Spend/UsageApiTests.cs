using System.Net.Http.Headers;
using System.Text.Json;
using Router.Testing;
using Router.WebFront.Tests.Auth;

namespace Router.WebFront.Tests.Spend;

/// <summary><c>/admin/usage</c>, <c>/admin/requests</c> and <c>/v1/usage</c> over the request log in SQLite, through the real router.</summary>
[Collection(SpendRouterCollection.Name)]
public sealed class UsageApiTests(SpendRouterFixture fixture)
{
    [Theory]
    [InlineData("model")]
    [InlineData("key")]
    [InlineData("user")]
    [InlineData("category")]
    [InlineData("day")]
    [InlineData("hour")]
    public async Task The_usage_totals_equal_a_recount_from_the_rows(string groupBy)
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var keys = new[] { await fixture.CreateKeyAsync($"sum-a-{Guid.NewGuid():N}"[..20]), await fixture.CreateKeyAsync($"sum-b-{Guid.NewGuid():N}"[..20]) };
        var messages = new[]
        {
            "hello [[sim:tokens=4]]", "write code [[classify:code]] [[sim:tokens=5]]", $"[[classify:model={RouterFixture.UpstreamModel}]] [[sim:tokens=3]]",
            "this one fails [[sim:status=500]]", "no usage here [[sim:usage=none,tokens=6]]",
        };
        await Task.WhenAll(keys.SelectMany(k => messages.Select(m => DrainAsync(k.Key, $"{Guid.NewGuid():N} {m}"))));
        foreach (var (id, _) in keys) await fixture.WaitForRowsAsync($"key_id={id}", messages.Length, "all rows of the test's keys");
        var to = DateTimeOffset.UtcNow.AddSeconds(1);
        var window = $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";

        var usage = await fixture.AdminGetAsync($"/admin/usage?group_by={groupBy}&{window}");
        var rows = await fixture.AllRowsAsync(window, pageSize: 3);
        var recount = UsageApi.Recount(rows, groupBy);

        Assert.True(rows.Count >= keys.Length * messages.Length, $"the window holds the test's rows ({rows.Count})");
        Assert.Contains(rows, r => r.GetProperty("error_code").ValueKind != JsonValueKind.Null);
        var groups = usage.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(recount.Keys.Order(StringComparer.Ordinal), groups.Select(g => UsageApi.Text(g, "group")).Order(StringComparer.Ordinal));
        foreach (var group in groups)
        {
            var expected = recount[UsageApi.Text(group, "group")];
            var name = UsageApi.Text(group, "group");
            Assert.True(expected.Requests == group.GetProperty("requests").GetInt64(), $"{groupBy} {name}: requests");
            Assert.True(expected.Prompt == group.GetProperty("prompt_tokens").GetInt64(), $"{groupBy} {name}: prompt tokens");
            Assert.True(expected.Output == group.GetProperty("output_tokens").GetInt64(), $"{groupBy} {name}: output tokens");
            Assert.True(expected.Cost == group.GetProperty("cost").GetDecimal(), $"{groupBy} {name}: cost {expected.Cost} vs {group.GetProperty("cost")}");
            Assert.True(expected.Errors == group.GetProperty("errors").GetInt64(), $"{groupBy} {name}: errors");
            AssertClose(expected.P50, group.GetProperty("ttft_p50_ms"), $"{groupBy} {name}: p50");
            AssertClose(expected.P95, group.GetProperty("ttft_p95_ms"), $"{groupBy} {name}: p95");
        }
    }

    [Fact]
    public async Task A_key_holder_sees_only_their_own_keys_usage()
    {
        var mine = await fixture.CreateKeyAsync($"own-a-{Guid.NewGuid():N}"[..20]);
        var theirs = await fixture.CreateKeyAsync($"own-b-{Guid.NewGuid():N}"[..20]);
        await Task.WhenAll(DrainAsync(mine.Key, "one"), DrainAsync(mine.Key, "two"), DrainAsync(theirs.Key, "three"), DrainAsync(theirs.Key, "four"), DrainAsync(theirs.Key, "five"));
        var myRows = await fixture.WaitForRowsAsync($"key_id={mine.Id}", 2, "my rows");
        await fixture.WaitForRowsAsync($"key_id={theirs.Id}", 3, "their rows");

        var byKey = await OwnUsageAsync(mine.Key, "group_by=key");
        var group = Assert.Single(byKey.GetProperty("groups").EnumerateArray());
        Assert.Equal(mine.Id, group.GetProperty("group").GetString());
        Assert.Equal(2, group.GetProperty("requests").GetInt64());
        Assert.Equal(myRows.Sum(r => r.GetProperty("cost").GetDecimal()), group.GetProperty("cost").GetDecimal());

        // Every other grouping is narrowed the same way: the sums are of this key's rows only.
        var byModel = await OwnUsageAsync(mine.Key, "group_by=model");
        Assert.Equal(2, byModel.GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("requests").GetInt64()));
        var theirsByUser = await OwnUsageAsync(theirs.Key, "group_by=user");
        Assert.Equal(3, Assert.Single(theirsByUser.GetProperty("groups").EnumerateArray()).GetProperty("requests").GetInt64());

        // Asking for another key is not a way in: the parameter does not exist here.
        using var widened = await SendAsync(mine.Key, $"/v1/usage?key_id={theirs.Id}");
        await ProblemAssert.IsProblemAsync(widened, 400, "unknown_parameter");
        using var anonymous = await SendAsync(null, "/v1/usage");
        Assert.Equal(401, (int)anonymous.StatusCode);
        using var notAdmin = await SendAsync(mine.Key, "/admin/usage");
        Assert.Equal(403, (int)notAdmin.StatusCode);
        using var noKey = await SendAsync(null, "/admin/requests");
        Assert.Equal(401, (int)noKey.StatusCode);
    }

    [Fact]
    public async Task Pages_follow_next_cursor_without_gaps_or_repeats_and_filters_apply()
    {
        var (keyId, key) = await fixture.CreateKeyAsync($"page-{Guid.NewGuid():N}"[..20]);
        foreach (var i in Enumerable.Range(0, 5)) await DrainAsync(key, $"page {i}");
        await DrainAsync(key, "fails [[sim:status=500]]");
        var all = await fixture.WaitForRowsAsync($"key_id={keyId}", 6, "the key's rows");

        var paged = await fixture.AllRowsAsync($"key_id={keyId}", pageSize: 2);
        Assert.Equal(all.Select(r => r.GetProperty("request_id").GetString()), paged.Select(r => r.GetProperty("request_id").GetString()));
        Assert.Equal(6, paged.Select(r => r.GetProperty("request_id").GetString()).Distinct().Count());
        var times = paged.Select(r => r.GetProperty("time").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);

        var errors = await fixture.AllRowsAsync($"key_id={keyId}&outcome=error");
        var failed = Assert.Single(errors);
        Assert.False(string.IsNullOrEmpty(failed.GetProperty("error_code").GetString()));
        Assert.Empty(await fixture.AllRowsAsync($"key_id={keyId}&model=no-such-model"));
    }

    [Fact]
    public async Task A_refused_request_is_logged_with_its_code_and_no_cost()
    {
        var user = $"refused-{Guid.NewGuid():N}"[..20];
        var (_, key) = await fixture.CreateKeyAsync(user);
        using var request = KeysRouterFixture.Complete(key, "");
        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
        Assert.Equal(400, (int)response.StatusCode);

        var row = Assert.Single(await fixture.WaitForRowsAsync($"user_id={user}&outcome=rejected", 1, "the refusal's row"));
        Assert.Equal("complete", row.GetProperty("surface").GetString());
        Assert.False(string.IsNullOrEmpty(row.GetProperty("error_code").GetString()));
        Assert.Equal(0m, row.GetProperty("cost").GetDecimal());
    }

    [Theory]
    [InlineData("/admin/usage?group_by=week", "invalid_group_by")]
    [InlineData("/admin/usage?from=yesterday", "invalid_from")]
    [InlineData("/admin/usage?to=2025-13-40", "invalid_to")]
    [InlineData("/admin/usage?from=2025-06-02&to=2025-06-01", "invalid_window")]
    [InlineData("/admin/usage?group_by=model&group_by=key", "invalid_group_by")]
    [InlineData("/admin/usage?groupby=model", "unknown_parameter")]
    [InlineData("/admin/requests?limit=0", "invalid_limit")]
    [InlineData("/admin/requests?limit=1001", "invalid_limit")]
    [InlineData("/admin/requests?cursor=abc", "invalid_cursor")]
    [InlineData("/admin/requests?key_id=", "invalid_key_id")]
    public async Task Bad_parameters_are_a_400_naming_them(string pathAndQuery, string code)
    {
        using var response = await fixture.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, pathAndQuery), Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 400, code);
    }

    private async Task DrainAsync(string key, string message)
    {
        await using var sse = await SseClient.OpenAsync(fixture.Http, KeysRouterFixture.Complete(key, message), Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());
        Assert.True(events[^1].IsDone || events[^1].IsError, "the answer ended");
    }

    private async Task<JsonElement> OwnUsageAsync(string key, string query)
    {
        using var response = await SendAsync(key, "/v1/usage?" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/v1/usage?{query}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Task<HttpResponseMessage> SendAsync(string? key, string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return fixture.Http.SendAsync(request, Timeouts.Token());
    }

    private static void AssertClose(double? expected, JsonElement actual, string what)
    {
        if (expected is null)
        {
            Assert.True(actual.ValueKind == JsonValueKind.Null, $"{what}: expected none, got {actual}");
            return;
        }

        Assert.True(Math.Abs(expected.Value - actual.GetDouble()) < 1e-6, $"{what}: {expected} vs {actual}");
    }
}
