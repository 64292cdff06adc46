using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.WebFront.RequestLog;

namespace Router.WebFront.Tests.Spend;

/// <summary>Reading the usage API, and recounting its figures from the rows independently of the router.</summary>
public static class UsageApi
{
    public static async Task<List<JsonElement>> AllRowsAsync(Func<string, Task<JsonElement>> get, string query, int pageSize = 100)
    {
        var rows = new List<JsonElement>();
        string? cursor = null;
        for (var page = 0; page < 10_000; page++)
        {
            var body = await get($"/admin/requests?{query}&limit={pageSize}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            rows.AddRange(body.GetProperty("requests").EnumerateArray());
            var next = body.GetProperty("next_cursor");
            if (next.ValueKind == JsonValueKind.Null) return rows;
            cursor = next.GetString();
        }

        throw new InvalidOperationException("paging did not end");
    }

    /// <summary>The request log's writer of a router under test: what the waits below await.</summary>
    public static RequestLogWriter Writer(RouterHost router) => router.Services.GetRequiredService<RequestLogWriter>();

    /// <summary>
    /// Waits until the log holds <paramref name="count"/> rows for the query: rows are written behind
    /// the answers, so the rows are read again each time the writer reports progress (a batch
    /// written), never on a timer.
    /// </summary>
    public static Task<List<JsonElement>> WaitForRowsAsync(
        Func<string, Task<JsonElement>> get, RequestLogWriter writer, string query, int count, string phase, TimeSpan? timeout = null) =>
        WaitForRowsAsync(get, [writer], query, count, phase, timeout);

    /// <summary>As above, for a log that several web fronts write (PostgreSQL): any writer's batch may bring the rows.</summary>
    public static async Task<List<JsonElement>> WaitForRowsAsync(
        Func<string, Task<JsonElement>> get, IReadOnlyList<RequestLogWriter> writers, string query, int count, string phase, TimeSpan? timeout = null)
    {
        List<JsonElement> rows = [];
        await UntilAsync(writers, async () =>
        {
            rows = await AllRowsAsync(get, query);
            return rows.Count >= count;
        }, () => $"{phase}: the request log held {rows.Count} of {count} rows for '{query}'", timeout);
        return rows;
    }

    /// <summary>
    /// Checks <paramref name="done"/> now and after each step of the writer (rows written or dropped,
    /// a cleanup), until it holds; past the timeout, fails with <paramref name="describe"/>.
    /// </summary>
    public static Task UntilAsync(RequestLogWriter writer, Func<Task<bool>> done, Func<string> describe, TimeSpan? timeout = null) =>
        UntilAsync([writer], done, describe, timeout);

    /// <summary>As above, woken by a step of any of <paramref name="writers"/>.</summary>
    public static async Task UntilAsync(IReadOnlyList<RequestLogWriter> writers, Func<Task<bool>> done, Func<string> describe, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Timeouts.Event);
        while (true)
        {
            // Progress is read before the check: a batch written during the check ends the wait at once.
            var seen = writers.Select(w => w.Progress).ToArray();
            if (await done()) return;
            await Task.WhenAny(writers.Select((w, i) => w.WhenProgressAsync(seen[i], deadline.Token)));
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{describe()} (writers: {string.Join(", ", writers.Select(w => w.Progress))})");
            }
        }
    }

    /// <summary>The usage groups recounted from rows: the field a grouping names, the sums, and percentile_cont of the first-token times.</summary>
    public static Dictionary<string, (long Requests, long Prompt, long Output, decimal Cost, long Errors, double? P50, double? P95)> Recount(
        IEnumerable<JsonElement> rows, string groupBy)
    {
        string GroupOf(JsonElement row)
        {
            var time = row.GetProperty("time").GetDateTimeOffset().ToUniversalTime();
            return groupBy switch
            {
                "model" => Text(row, "model"),
                "key" => Text(row, "key_id"),
                "user" => Text(row, "user_id"),
                "category" => Text(row, "category"),
                "day" => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                _ => time.ToString("yyyy-MM-dd'T'HH':00:00Z'", CultureInfo.InvariantCulture),
            };
        }

        return rows.GroupBy(GroupOf).ToDictionary(g => g.Key, g =>
        {
            var ttfts = g.Where(r => r.GetProperty("ttft_ms").ValueKind == JsonValueKind.Number).Select(r => r.GetProperty("ttft_ms").GetDouble()).Order().ToList();
            return ((long)g.Count(), g.Sum(r => Long(r, "prompt_tokens")), g.Sum(r => Long(r, "output_tokens")), g.Sum(r => r.GetProperty("cost").GetDecimal()),
                (long)g.Count(r => r.GetProperty("error_code").ValueKind != JsonValueKind.Null), Interpolate(ttfts, 0.5), Interpolate(ttfts, 0.95));
        });
    }

    public static string Text(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? "(null)" : e.GetProperty(name).GetString()!;

    private static long Long(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? 0 : e.GetProperty(name).GetInt64();

    private static double? Interpolate(List<double> sorted, double p)
    {
        if (sorted.Count == 0) return null;
        var position = p * (sorted.Count - 1);
        var below = sorted[(int)position];
        var above = sorted[Math.Min(sorted.Count - 1, (int)position + 1)];
        return below + (above - below) * (position - (int)position);
    }
}
