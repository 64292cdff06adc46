using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Router.Testing;
using Router.WebFront.Tests.Auth;

namespace Router.WebFront.Tests.Deploy;

/// <summary>
/// deploy/grafana/dashboards/router.json against the metrics a running router really serves: every
/// panel's every query names only metrics found on the router's <c>/metrics</c> after traffic that
/// records each kind (answers, a refusal for a key's limit, a failover off a dead replica).
/// </summary>
[Collection(MetricsRouterCollection.Name)]
public sealed partial class GrafanaDashboardTests(MetricsRouterFixture fixture)
{
    /// <summary>PromQL words that are not metric names.</summary>
    private static readonly HashSet<string> Keywords = ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"];

    [Fact]
    public void Every_panel_has_queries_and_each_names_a_metric()
    {
        var panels = Panels();
        Assert.True(panels.Count >= 10, $"the dashboard has {panels.Count} panels");
        foreach (var (title, expressions) in panels)
        {
            Assert.NotEmpty(expressions);
            Assert.All(expressions, e => Assert.True(MetricNames(e).Count > 0, $"panel '{title}': no metric in '{e}'"));
        }
    }

    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_exported_by_the_router()
    {
        await RecordEveryKindOfMetricAsync();

        var panels = Panels();
        var wanted = panels.SelectMany(p => p.Expressions.SelectMany(MetricNames).Select(m => (Panel: p.Title, Metric: m))).ToList();
        var exported = await ExportedUntilAsync(wanted.Select(w => w.Metric).ToHashSet());

        var missing = wanted.Where(w => !exported.Contains(w.Metric)).Select(w => $"'{w.Metric}' (panel '{w.Panel}')").Distinct().ToList();
        Assert.True(missing.Count == 0,
            $"metrics the dashboard queries but the router does not export: {string.Join(", ", missing)}; it exports {string.Join(", ", exported.Where(n => n.StartsWith("router_", StringComparison.Ordinal)).Order())}");
    }

    [Fact]
    public void Every_panel_is_a_grafana_panel_type_with_a_description()
    {
        foreach (var panel in DeployFiles.Json("deploy/grafana/dashboards/router.json").GetProperty("panels").EnumerateArray())
        {
            var title = panel.GetProperty("title").GetString();
            Assert.True(panel.GetProperty("type").GetString() is "timeseries" or "stat" or "gauge" or "table" or "bargauge",
                $"panel '{title}': type '{panel.GetProperty("type").GetString()}' is no Grafana panel");
            Assert.False(string.IsNullOrWhiteSpace(panel.GetProperty("description").GetString()), $"panel '{title}' has no description");
        }
    }

    /// <summary>Every code the router refuses with HTTP 429, on the 429 panel; budget_exceeded counted under its code on /metrics.</summary>
    [Fact]
    public async Task The_429_panel_shows_every_refusal_code_and_a_spent_budget_is_counted_under_its_code()
    {
        var panel = Panels().Single(p => p.Title == "429s by reason");
        foreach (var code in new[] { "rate_limited", "request_too_large", "budget_exceeded", "auth_throttled", "admin_throttled" })
        {
            Assert.True(panel.Expressions.Any(e => e.Contains(code, StringComparison.Ordinal)), $"the 429 panel does not show '{code}'");
        }

        var (_, key) = await CreateKeyAsync(new { spend_per_day = 0 });
        using var refused = await fixture.Http.SendAsync(KeysRouterFixture.Complete(key, "nothing left to spend"), Timeouts.Token());
        Assert.Equal(429, (int)refused.StatusCode);

        using var http = new HttpClient { BaseAddress = fixture.ManagementUrl };
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var text = await http.GetStringAsync("/metrics", Timeouts.Token());
            if (text.Split('\n').Any(l => l.StartsWith("router_errors_total{", StringComparison.Ordinal) && l.Contains("router_error_code=\"budget_exceeded\"", StringComparison.Ordinal))) break;
            Assert.True(deadline.Elapsed < Timeouts.Event, "router_errors_total never showed router_error_code=\"budget_exceeded\" after a refusal for a spent budget");
            await Task.Delay(100, CancellationToken.None);
        }
    }

    [Theory]
    [InlineData("sum by (router_model) (rate(router_requests_total{job=\"x\"}[$__rate_interval]))", "router_requests_total")]
    [InlineData("histogram_quantile(0.5, sum by (le) (rate(a_bucket[5m]))) / b_count", "a_bucket b_count")]
    [InlineData("min by (x) (router_backend_healthy) * 3600", "router_backend_healthy")]
    public void The_metric_reader_finds_the_metric_names_of_a_query(string expression, string expected) =>
        Assert.Equal(expected.Split(' ').Order(), MetricNames(expression).Order());

    private async Task RecordEveryKindOfMetricAsync()
    {
        var (_, key) = await CreateKeyAsync(new { requests_per_minute = 2 });
        // The first answer goes to the dead replica first (round robin starts there) and fails over.
        for (var i = 0; i < 2; i++)
        {
            await using var sse = await SseClient.OpenAsync(fixture.Http, KeysRouterFixture.Complete(key, $"dashboard {i} {Guid.NewGuid():N}"), Timeouts.Token());
            var events = await sse.ReadToEndAsync(Timeouts.Token());
            Assert.True(events[^1].IsDone, $"answer {i} ended with {events[^1].Data}");
        }

        using var refused = await fixture.Http.SendAsync(KeysRouterFixture.Complete(key, "one too many"), Timeouts.Token());
        Assert.Equal(429, (int)refused.StatusCode);
    }

    /// <summary>The metric names on /metrics once all of <paramref name="wanted"/> are there (the request log's writer counts its rows a moment after the answer), or at the deadline.</summary>
    private async Task<HashSet<string>> ExportedUntilAsync(HashSet<string> wanted)
    {
        using var http = new HttpClient { BaseAddress = fixture.ManagementUrl };
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var text = await http.GetStringAsync("/metrics", Timeouts.Token());
            var names = text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => SampleName().Match(l).Value).ToHashSet();
            if (wanted.IsSubsetOf(names) || deadline.Elapsed > Timeouts.Event) return names;
            await Task.Delay(100, CancellationToken.None);
        }
    }

    private async Task<(string Id, string Key)> CreateKeyAsync(object limits)
    {
        using var response = await fixture.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Post, "/admin/keys", new { user_id = $"dash-{Guid.NewGuid():N}"[..20], limits }), Timeouts.Token());
        Assert.Equal(201, (int)response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    private static List<(string Title, List<string> Expressions)> Panels() =>
        DeployFiles.Json("deploy/grafana/dashboards/router.json").GetProperty("panels").EnumerateArray()
            .Select(p => (p.GetProperty("title").GetString()!, p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!).ToList()))
            .ToList();

    /// <summary>
    /// The metric names in a PromQL expression: label matchers, ranges, grouping clauses and strings
    /// removed, what is left that is neither a function call, a keyword nor a number.
    /// </summary>
    private static HashSet<string> MetricNames(string expression)
    {
        var bare = Matchers().Replace(expression, " ");
        bare = Grouping().Replace(bare, " ");
        return Identifier().Matches(bare)
            .Where(m => !m.Groups["call"].Success && !Keywords.Contains(m.Groups["name"].Value))
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\{[^}]*\}|\[[^\]]*\]|""[^""]*""")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SampleName();
}
