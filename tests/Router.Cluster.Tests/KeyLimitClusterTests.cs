using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Router.Cluster.Tests.Infrastructure;
using Router.Testing;
using StackExchange.Redis;

namespace Router.Cluster.Tests;

/// <summary>
/// Keys mode on two web fronts and two silos joined through Redis: a key's limits hold exactly
/// whichever front a request reaches (one grain per key counts for the whole cluster), and a
/// revoked key is refused by every front at once.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class KeyLimitClusterTests(ClusterServices services, ITestOutputHelper output)
{
    private const string AdminKey = "cluster-admin-key-0123456789";
    private const int Burst = 200;

    private static readonly Dictionary<string, string> WebFrontSettings = new()
    {
        ["Auth:Mode"] = "Keys",
        ["Auth:AdminKey"] = AdminKey,
    };

    [Fact]
    public async Task Limits_hold_exactly_across_two_web_fronts_and_a_revoked_key_is_refused_by_both()
    {
        await using var cluster = await LocalCluster.StartAsync(services, silos: 2, webFronts: 2, webFrontSettings: WebFrontSettings);
        var figures = new Figures("Keys mode, 2 web fronts and 2 silos on Redis, 200 requests at once", output);
        var fronts = cluster.WebFronts;

        // Phase 1: 60 requests per minute, 200 sent at once through both fronts.
        var rpmKey = await CreateKeyAsync(fronts[0], "rpm-user", new { requests_per_minute = 60 });
        await Task.WhenAll(fronts.Select(f => WarmAsync(f, rpmKey.Key)));
        var results = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => SendAsync(fronts[i % 2], rpmKey.Key, $"burst {i} [[sim:ttft=0,tokens=1]]", readToEnd: true)));
        figures.Add("60 requests/minute, 200 at once", Summarize(results));
        Assert.True(results.Count(r => r.Status == 200 && r.Done) == 60 && results.Count(r => r.Status == 429 && r.RetryAfter >= 1) == Burst - 60,
            "phase 1 (60 requests per minute): " + Summarize(results));
        figures.Add("admitted per web front", string.Join(", ", results.GroupBy(r => r.Front).Select(g => $"{g.Count(r => r.Status == 200)} of {g.Count()}")));

        // The stored state in Redis: the router's tagged format, no CLR names, and no key anywhere.
        var stored = await StoredAsync(services.Redis.ConnectionString, cluster.ClusterId, rpmKey.Id, "rpm-user");
        figures.Add("Redis entries of the key and its user's session", stored.Count);
        Assert.True(stored.Count == 2, $"Redis should hold the key's and the session's state; found {stored.Count} entries");
        Assert.All(stored, value => Assert.True(value.AsSpan().IndexOf(StateTag) >= 0, "stored state should carry the router's format tag"));
        Assert.All(stored, value => Assert.DoesNotContain("Router.", Encoding.UTF8.GetString(value), StringComparison.Ordinal));
        Assert.All(stored, value => Assert.DoesNotContain(rpmKey.Key, Encoding.UTF8.GetString(value), StringComparison.Ordinal));

        // Phase 2: 3 concurrent streams; the admitted ones stay open until every other request is answered.
        var streamKey = await CreateKeyAsync(fronts[1], "stream-user", new { concurrent_streams = 3 });
        var opened = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => SendAsync(fronts[i % 2], streamKey.Key, $"long {i} [[sim:ttft=0,tokens=4000,tps=20]]", readToEnd: false)));
        figures.Add("3 concurrent streams, 200 at once", Summarize(opened));
        var admitted = opened.Where(r => r.Status == 200).ToList();
        Assert.True(admitted.Count == 3 && opened.Count(r => r.Status == 429 && r.RetryAfter >= 1) == Burst - 3,
            "phase 2 (3 concurrent streams): " + Summarize(opened));
        foreach (var stream in admitted) await stream.Stream!.DisposeAsync();
        var afterRelease = await WaitAdmittedAsync(fronts, streamKey.Key, TimeSpan.FromSeconds(30));
        figures.Add("first admission after the 3 clients left", $"{afterRelease.TotalMilliseconds:0} ms");

        // Phase 3: revoke through one front; both refuse the key from then on.
        var revokeKey = await CreateKeyAsync(fronts[0], "revoked-user", null);
        foreach (var front in fronts)
        {
            var before = await SendAsync(front, revokeKey.Key, "before [[sim:ttft=0,tokens=1]]", readToEnd: true);
            Assert.True(before.Status == 200 && before.Done, $"phase 3: the key should work on {front.BaseUrl} before it is revoked ({before.Status})");
        }

        using (var delete = Admin(HttpMethod.Delete, $"/admin/keys/{revokeKey.Id}"))
        using (var response = await fronts[1].Http.SendAsync(delete))
        {
            Assert.Equal(204, (int)response.StatusCode);
        }

        var revokedAt = Stopwatch.StartNew();
        // How soon is a figure, not an assertion: WaitRefusedAsync fails only if a front never refuses.
        var refusedAfter = await Task.WhenAll(fronts.Select(f => WaitRefusedAsync(f, revokeKey.Key, revokedAt, TimeSpan.FromSeconds(20))));
        figures.Add("revoked key refused by both fronts after", string.Join(", ", refusedAfter.Select(t => $"{t.TotalMilliseconds:0} ms")));
        var later = await Task.WhenAll(fronts.Select(f => SendAsync(f, revokeKey.Key, "later [[sim:ttft=0,tokens=1]]", readToEnd: true)));
        figures.Save();
        Assert.True(later.All(r => r.Status == 401), "phase 3 (still refused later): " + Summarize(later));
    }

    /// <summary><c>RouterStateSerializer</c>'s format tag.</summary>
    private static ReadOnlySpan<byte> StateTag => [0x00, (byte)'R', (byte)'S', 0x01];

    /// <summary>The stored grain state of every Redis entry whose name mentions one of <paramref name="names"/>.</summary>
    private static async Task<List<byte[]>> StoredAsync(string connectionString, string serviceId, params string[] names)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var db = redis.GetDatabase();
        var values = new List<byte[]>();
        foreach (var name in names)
        {
            await foreach (var key in server.KeysAsync(pattern: $"{serviceId}/*{name}*"))
            {
                // Orleans' Redis storage: a hash per grain state, the state in "data" beside its "etag".
                if (await db.HashGetAsync(key, "data") is { HasValue: true } data) values.Add((byte[])data!);
            }
        }

        return values;
    }

    private sealed record Result(int Front, int Status, bool Done, int RetryAfter, SseStream? Stream);

    private static async Task<Result> SendAsync(WebFrontProcess front, string key, string message, bool readToEnd)
    {
        var index = front.BaseUrl.Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var request = new HttpRequestMessage(HttpMethod.Post, "/complete")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { message }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var sse = await SseClient.OpenAsync(front.Http, request, cts.Token);
        var status = (int)sse.Response.StatusCode;
        var retryAfter = sse.Response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : 0;
        if (status != 200)
        {
            await sse.DisposeAsync();
            return new Result(index, status, false, retryAfter, null);
        }

        if (!readToEnd) return new Result(index, status, false, 0, sse);
        await using (sse)
        {
            var events = await sse.ReadToEndAsync(cts.Token);
            return new Result(index, status, events.Count > 0 && events[^1].IsDone, 0, null);
        }
    }

    /// <summary>A request through the key's resolution that no limit counts, so neither front is cold when the burst starts.</summary>
    private static async Task WarmAsync(WebFrontProcess front, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await front.Http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
    }

    /// <summary>How long until a request of the key is admitted again (the released slots reached its grain).</summary>
    private static async Task<TimeSpan> WaitAdmittedAsync(List<WebFrontProcess> fronts, string key, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        for (var i = 0; clock.Elapsed < timeout; i++)
        {
            var result = await SendAsync(fronts[i % 2], key, "again [[sim:ttft=0,tokens=1]]", readToEnd: true);
            if (result.Status == 200) return clock.Elapsed;
            await poll.WaitForNextTickAsync();
        }

        throw new TimeoutException($"phase 2: no request of the key was admitted within {timeout.TotalSeconds:0} s after its clients left");
    }

    /// <summary>Asks the front with the key until it answers 401; returns when (since the revocation) that request was sent.</summary>
    private static async Task<TimeSpan> WaitRefusedAsync(WebFrontProcess front, string key, Stopwatch since, TimeSpan timeout)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (since.Elapsed < timeout)
        {
            // The moment the probe was sent bounds when the revocation held; its answer's arrival
            // also counts this test process's own delays.
            var sent = since.Elapsed;
            var result = await SendAsync(front, key, "after [[sim:ttft=0,tokens=1]]", readToEnd: true);
            if (result.Status == 401) return sent;
            await poll.WaitForNextTickAsync();
        }

        throw new TimeoutException($"phase 3: {front.BaseUrl} still accepted the revoked key {timeout.TotalSeconds:0} s after its revocation");
    }

    private static async Task<(string Id, string Key)> CreateKeyAsync(WebFrontProcess front, string userId, object? limits)
    {
        using var request = Admin(HttpMethod.Post, "/admin/keys", new { user_id = userId, limits });
        using var response = await front.Http.SendAsync(request);
        Assert.Equal(201, (int)response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    private static HttpRequestMessage Admin(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return request;
    }

    private static string Summarize(IEnumerable<Result> results) =>
        string.Join(", ", results.GroupBy(r => r.Status == 200 ? (r.Stream is not null || r.Done ? "200" : "200 without done") : r.Status == 429 && r.RetryAfter < 1 ? "429 without Retry-After" : r.Status.ToString())
            .OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
}
