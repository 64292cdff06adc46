using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.Testing;
using Xunit.Abstractions;

namespace Router.WebFront.Tests.Completions.Fuzz;

/// <summary>
/// Ten thousand mutated requests against the real router: none may get a 5xx or hang, every 4xx
/// carries a problem body, and the router still streams a good request afterwards.
/// </summary>
[Collection(RouterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class FuzzTests(RouterFixture fixture, ITestOutputHelper output)
{
    private const int Seed = 20261201;
    private const int Requests = 10_000;
    private const int Parallelism = 8;

    [Fact]
    public async Task Ten_thousand_malformed_requests_get_no_5xx_no_hang_and_a_problem_body_on_every_4xx()
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Parallelism,
            // Header values go out as UTF-8, so non-ASCII user ids reach the router as real clients send them.
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        }) { BaseAddress = fixture.Router.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<(string Mutation, int Status), int>();
        var started = Stopwatch.GetTimestamp();

        var cases = new MalformedRequestGenerator(Seed).Generate(Requests).ToList();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (fuzz, _) =>
        {
            using var deadline = new CancellationTokenSource(Timeouts.Event);
            try
            {
                var status = await SendAndCheckAsync(http, fuzz, deadline.Token);
                statuses.AddOrUpdate((fuzz.Mutation, status.Code), 1, (_, n) => n + 1);
                if (status.Failure is not null) failures.Enqueue($"{fuzz}: {status.Failure}");
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                failures.Enqueue($"{fuzz}: no answer within {Timeouts.Event.TotalSeconds} s");
            }
            catch (Exception ex)
            {
                failures.Enqueue($"{fuzz}: {ex.GetType().Name}: {ex.Message}");
            }
        });

        output.WriteLine($"{Requests} requests in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s (seed {Seed})");
        foreach (var ((mutation, status), count) in statuses.OrderBy(s => s.Key))
        {
            output.WriteLine($"{mutation,-14} {status} × {count}");
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} requests failed, the first ones:\n{string.Join("\n", failures.Take(10))}");
        // Every mutation must have produced refusals, or the generator is not testing what it claims.
        Assert.All(MalformedRequestGenerator.Mutations, m => Assert.Contains(statuses.Keys, k => k.Mutation == m && k.Status is >= 400 and < 500));

        await using var good = await SseClient.PostAsync(fixture.Http, "still here after the fuzz [[sim:tokens=3]]", "fuzz-after", Timeouts.Token());
        var events = await good.ReadToEndAsync(Timeouts.Token());
        Assert.True(events[^1].IsDone, $"expected done after the fuzz, got {events[^1].Data}");
    }

    private static async Task<(int Code, string? Failure)> SendAndCheckAsync(HttpClient http, FuzzCase fuzz, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/complete");
        request.Content = fuzz.Chunked ? new StreamContent(new MemoryStream(fuzz.Body)) : new ByteArrayContent(fuzz.Body);
        if (fuzz.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
        if (fuzz.Chunked) request.Headers.TransferEncodingChunked = true;
        foreach (var id in fuzz.UserIds) request.Headers.TryAddWithoutValidation("X-User-Id", id);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var code = (int)response.StatusCode;
        if (code >= 500) return (code, $"answered {code}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        if (code >= 400) return (code, await CheckProblemAsync(response, code, cancellationToken));
        if (code != 200) return (code, $"answered {code}");

        // A mutation that stayed valid streams; the stream must still end with a terminal event.
        await using var sse = new SseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
        var events = await sse.ReadToEndAsync(cancellationToken);
        return events.Count > 0 && (events[^1].IsDone || events[^1].IsError) ? (code, null) : (code, "a 200 stream ended without a terminal event");
    }

    private static async Task<string?> CheckProblemAsync(HttpResponseMessage response, int status, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"answered {status} with content type {response.Content.Headers.ContentType?.ToString() ?? "(none)"}";
        }

        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = problem.RootElement;
            if (root.GetProperty("status").GetInt32() != status) return $"problem status {root.GetProperty("status")} on a {status}";
            return string.IsNullOrEmpty(root.GetProperty("code").GetString()) ? "problem without a code" : null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"answered {status} with a body that is not a problem: {ex.Message}";
        }
    }
}
