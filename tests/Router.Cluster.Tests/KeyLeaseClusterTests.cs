using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Router.Cluster.Tests.Infrastructure;
using Router.Testing;

namespace Router.Cluster.Tests;

/// <summary>
/// Key leases on two web fronts and two silos joined through Redis: the lease lives with the
/// generation, so a client that hangs up on one front and resumes on the other holds one stream and
/// is charged the real tokens; a client that leaves during a slow start gives its slot back.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class KeyLeaseClusterTests(ClusterServices services)
{
    private const string AdminKey = "cluster-admin-key-0123456789";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> WebFrontSettings = new()
    {
        ["Auth:Mode"] = "Keys",
        ["Auth:AdminKey"] = AdminKey,
        ["WebFront:ResumeGrace"] = "00:00:30",
    };

    [Fact]
    public async Task Hang_up_and_resume_across_fronts_holds_one_stream_and_a_client_leaving_a_slow_start_leaves_none()
    {
        await using var cluster = await LocalCluster.StartAsync(services, silos: 2, webFronts: 2,
            siloSettings: new Dictionary<string, string> { ["Classifier:Timeout"] = "00:00:30" }, webFrontSettings: WebFrontSettings);
        var (first, second) = (cluster.WebFronts[0], cluster.WebFronts[1]);

        // Point 1: one stream; the client hangs up on front 1; two more requests (one per front) are refused; it resumes on front 2.
        var (id, key) = await CreateKeyAsync(first, "lease-" + cluster.ClusterId, new { concurrent_streams = 1 });
        var nonce = Guid.NewGuid().ToString("N");
        string requestId;
        int lastId;
        await using (var hungUp = await CompleteStream.OpenAsync(first.Http, Complete(key, $"long {nonce} [[sim:ttft=0,tokens=200,tps=20]]"), new CancellationTokenSource(Timeout).Token))
        {
            Assert.Equal(200, (int)hungUp.Response.StatusCode);
            requestId = hungUp.RequestId;
            lastId = (await hungUp.NextAsync())?.Id ?? throw new InvalidOperationException("phase 1: no event before the hang-up");
        }

        var refused = new List<int>();
        foreach (var front in new[] { first, second })
        {
            using var again = await front.Http.SendAsync(Complete(key, $"again {nonce} [[sim:ttft=0,tokens=5]]"), HttpCompletionOption.ResponseHeadersRead);
            refused.Add((int)again.StatusCode);
        }

        Assert.True(refused.All(s => s == 429), $"phase 2: after the hang-up the fronts answered {string.Join(", ", refused)}");

        using var resume = new HttpRequestMessage(HttpMethod.Get, $"/complete/{requestId}");
        resume.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        resume.Headers.Add("Last-Event-ID", lastId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using (var resumed = await CompleteStream.OpenAsync(second.Http, resume, new CancellationTokenSource(Timeout).Token))
        {
            Assert.Equal(200, (int)resumed.Response.StatusCode);
            var events = await resumed.ReadToEndAsync();
            Assert.True(events[^1].IsDone, $"phase 3: the resumed answer ended with {events[^1].Data}");
            var used = events[^1].Data.GetProperty("prompt_tokens").GetInt64() + events[^1].Data.GetProperty("output_tokens").GetInt64();
            var usage = await WaitForOpenStreamsAsync(second, id, 0, "phase 4: after the resumed answer ended");
            Assert.Equal(used, usage.GetProperty("tokens_last_minute").GetInt64());
        }

        // Point 2: a client leaving front 2 while its classification is held; the slot comes back.
        var (slowId, slowKey) = await CreateKeyAsync(second, "slow-" + cluster.ClusterId, new { concurrent_streams = 1 });
        var hold = "cluster-start-" + nonce;
        using (var leaving = new CancellationTokenSource(Timeout))
        {
            var sent = second.Http.SendAsync(Complete(slowKey, $"slow [[classifier:hold={hold}]] [[sim:ttft=0,tokens=3]]"), HttpCompletionOption.ResponseHeadersRead, leaving.Token);
            await services.Classifier.WaitHeldAsync(hold, Timeout);
            await leaving.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sent);
        }

        services.Classifier.Release(hold);
        await WaitForOpenStreamsAsync(first, slowId, 0, "phase 5: after the client left during the start");
        using var next = await first.Http.SendAsync(Complete(slowKey, "next [[sim:ttft=0,tokens=1]]"));
        Assert.Equal(200, (int)next.StatusCode);
    }

    private static HttpRequestMessage Complete(string key, string message)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/complete")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { message }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private static async Task<JsonElement> WaitForOpenStreamsAsync(WebFrontProcess front, string id, int expected, string phase)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var deadline = DateTime.UtcNow + Timeout;
        var open = -1;
        while (DateTime.UtcNow < deadline && await poll.WaitForNextTickAsync())
        {
            using var request = Admin(HttpMethod.Get, $"/admin/keys/{id}");
            using var response = await front.Http.SendAsync(request);
            var usage = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");
            open = usage.GetProperty("open_streams").GetInt32();
            if (open == expected) return usage;
        }

        throw new TimeoutException($"{phase}: open_streams stayed {open}, expected {expected}");
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
}
