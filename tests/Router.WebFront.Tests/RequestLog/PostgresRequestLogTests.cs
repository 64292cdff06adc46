using System.Globalization;
using System.Text.Json;
using Router.Testing;
using Router.WebFront.Tests.Auth;
using Router.WebFront.Tests.Spend;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Router.WebFront.Tests.RequestLog;

/// <summary>
/// The request log in a real PostgreSQL (scripts/postgres-start.sh): one log for several web fronts,
/// and answers that do not notice the database going away; the rows that fit the buffer arrive when
/// it is back, and the rest are counted.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PostgresRequestLogTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresServer _postgres = null!;
    private OllamaSimulator.OllamaSimulator _simulator = null!;
    private ClassifierStub _classifier = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new OllamaSimulator.SimulatorOptions { TimeToFirstTokenMs = 10, TokensPerSecond = 400, ResponseTokens = 8 });
        _classifier = await ClassifierStub.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _classifier.DisposeAsync();
        await _simulator.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Two_web_fronts_write_one_log_whose_usage_totals_equal_a_recount()
    {
        await using var a = await StartRouterAsync("front-a");
        await using var b = await StartRouterAsync("front-b");
        var user = $"pg-{Guid.NewGuid():N}"[..16];
        var messages = new[] { "hello", "code [[classify:code]]", "fails [[sim:status=500]]", "no usage [[sim:usage=none]]" };
        await Task.WhenAll(new[] { a, b }.SelectMany(r => messages.Select(m => DrainAsync(r, user, $"{Guid.NewGuid():N} {m}"))));

        var rows = await UsageApi.WaitForRowsAsync(Admin(b), [UsageApi.Writer(a), UsageApi.Writer(b)], $"user_id={user}", 2 * messages.Length, "rows of both web fronts, read on one");
        Assert.Equal(["front-a", "front-b"], rows.Select(r => r.GetProperty("web_front").GetString()).Distinct().Order());
        Assert.Contains(rows, r => r.GetProperty("cost_estimated").GetBoolean());

        var all = await UsageApi.AllRowsAsync(Admin(a), "from=2000-01-01", pageSize: 3);
        var usage = await Admin(a)("/admin/usage?group_by=model&from=2000-01-01");
        var recount = UsageApi.Recount(all, "model");
        var groups = usage.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(recount.Count, groups.Count);
        foreach (var group in groups)
        {
            var expected = recount[UsageApi.Text(group, "group")];
            Assert.Equal(expected.Requests, group.GetProperty("requests").GetInt64());
            Assert.Equal(expected.Prompt, group.GetProperty("prompt_tokens").GetInt64());
            Assert.Equal(expected.Output, group.GetProperty("output_tokens").GetInt64());
            Assert.Equal(expected.Cost, group.GetProperty("cost").GetDecimal());
            Assert.Equal(expected.Errors, group.GetProperty("errors").GetInt64());
            Assert.True(Math.Abs((expected.P95 ?? 0) - (group.GetProperty("ttft_p95_ms").ValueKind == JsonValueKind.Null ? 0 : group.GetProperty("ttft_p95_ms").GetDouble())) < 1e-6, "p95");
        }
    }

    [Fact]
    public async Task With_the_database_stopped_every_answer_completes_and_rows_that_fit_the_buffer_arrive_after()
    {
        const int BufferSize = 10, BatchSize = 5, Warm = 3, DuringOutage = 40;
        await using var router = await StartRouterAsync("front-outage", new Dictionary<string, string?>
        {
            ["RequestLog:BufferSize"] = BufferSize.ToString(CultureInfo.InvariantCulture),
            ["RequestLog:BatchSize"] = BatchSize.ToString(CultureInfo.InvariantCulture),
            ["RequestLog:MaxRetryDelay"] = "00:00:00.500",
            ["RequestLog:CommandTimeout"] = "00:00:02",
        });
        var user = $"outage-{Guid.NewGuid():N}"[..20];
        for (var i = 0; i < Warm; i++) await DrainAsync(router, user, $"before {i}");
        await UsageApi.WaitForRowsAsync(Admin(router), UsageApi.Writer(router), $"user_id={user}", Warm, "rows before the outage");

        using var droppedRows = new DroppedRows(router);
        await _postgres.StopAsync();
        var endings = await Task.WhenAll(Enumerable.Range(0, DuringOutage).Select(i => DrainAsync(router, user, $"during {i} [[sim:tokens=5]]")));
        Assert.All(endings, done => Assert.True(done, "an answer during the outage ended with done"));
        var writer = UsageApi.Writer(router);
        await UsageApi.UntilAsync(writer, () => Task.FromResult(droppedRows.Count > 0), () => $"rows dropped while the database is down: router.request_log.dropped is {droppedRows.Count}");
        var droppedDuring = droppedRows.Count;
        await _postgres.RestartAsync();

        // Rows written plus rows dropped account for every request; the buffer's worth came through.
        // Read again after each step of the writer (a batch written once the database is back).
        List<JsonElement> rows = [];
        long dropped = 0;
        await UsageApi.UntilAsync(writer, async () =>
        {
            rows = await UsageApi.AllRowsAsync(Admin(router), $"user_id={user}");
            dropped = droppedRows.Count;
            return rows.Count + dropped == Warm + DuringOutage;
        }, () => $"after the outage: {rows.Count} rows + {dropped} dropped, not {Warm + DuringOutage}", TimeSpan.FromSeconds(60));

        output.WriteLine($"{Warm + DuringOutage} answers, all done; {rows.Count} rows in the log after the outage, {dropped} dropped (buffer {BufferSize}, batch {BatchSize})");
        Assert.True(rows.Count >= Warm + BufferSize, $"the buffer's rows arrived after the outage ({rows.Count} rows)");
        Assert.True(dropped >= droppedDuring && dropped > 0, "the dropped rows are counted");
        Assert.All(rows, r => Assert.Equal("done", r.GetProperty("outcome").GetString()));
    }

    private async Task<RouterHost> StartRouterAsync(string name, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ollama:BaseUrl"] = _simulator.BaseUrl.ToString(),
            ["Classifier:Url"] = _classifier.Url.ToString(),
            ["Auth:AdminKey"] = KeysRouterFixture.AdminKey,
            // These tests poll the admin API for log rows; its per-address throttle (on main) is another test's subject.
            ["Auth:AdminRequestsPerMinute"] = "100000",
            ["Pricing:Models:llama3.2:Input"] = "0.15",
            ["Pricing:Models:llama3.2:Output"] = "0.6",
            ["RequestLog:Provider"] = "Postgres",
            ["RequestLog:ConnectionString"] = _postgres.ConnectionString,
            ["RequestLog:WebFrontName"] = name,
            ["RequestLog:FlushInterval"] = "00:00:00.050",
        };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return await RouterHost.StartAsync(settings);
    }

    private static async Task<bool> DrainAsync(RouterHost router, string user, string message)
    {
        await using var sse = await SseClient.PostAsync(router.Http, message, user, Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());
        return events[^1].IsDone;
    }

    private static Func<string, Task<JsonElement>> Admin(RouterHost router) => async pathAndQuery =>
    {
        using var response = await router.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, pathAndQuery), Timeouts.Token());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    };

    /// <summary>
    /// <c>router.request_log.dropped</c> of one router, as a metrics exporter sees it. Read with a
    /// listener on that router's own meter: test hosts in one process share meter names, so a
    /// process-wide exporter page would mix (and, as hosts stop, lose) their series.
    /// </summary>
    private sealed class DroppedRows : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private long _count;

        public DroppedRows(RouterHost router)
        {
            var factory = router.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "router.request_log.dropped" && ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
            };
            // An observed counter: each collection reports the running total.
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Exchange(ref _count, value));
            _listener.Start();
        }

        public long Count
        {
            get
            {
                _listener.RecordObservableInstruments();
                return Interlocked.Read(ref _count);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
