using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Router.Classifier.Cli;

/// <summary>
/// Hammers a running classifier service with N concurrent clients, each with its own HttpClient, for a
/// bounded number of requests and time. Only loopback addresses are accepted.
/// </summary>
internal static class HttpBenchCommand
{
    public static async Task<int> RunAsync(CommandLine commandLine)
    {
        var url = new Uri(commandLine.Get("url") ?? "http://localhost:8000/complete");
        if (!url.IsLoopback)
        {
            throw new ArgumentException("http-bench only targets loopback addresses (localhost, 127.0.0.1, [::1]).");
        }

        var clients = commandLine.GetInt("clients", 16);
        var requests = commandLine.GetInt("requests", 20_000);
        var size = commandLine.GetInt("size", 2048);
        var maxDuration = TimeSpan.FromSeconds(commandLine.GetInt("max-seconds", 120));
        var messages = BenchMessages.OfSize(size);

        using var warmUp = new HttpClient();
        for (var i = 0; i < 200; i++)
        {
            using var response = await warmUp.PostAsJsonAsync(url, new { message = messages[i % messages.Count] });
            response.EnsureSuccessStatusCode();
        }

        var remaining = requests;
        var failures = 0;
        using var timeout = new CancellationTokenSource(maxDuration);
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(async c =>
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 });
            var local = new List<double>();
            var i = c;
            while (Interlocked.Decrement(ref remaining) >= 0 && !timeout.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync(url, new { message = messages[i++ % messages.Count] });
                await response.Content.ReadAsByteArrayAsync();
                local.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }
            }

            return local;
        }).ToArray();
        var latencies = (await Task.WhenAll(workers)).SelectMany(x => x).ToArray();
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"{url} clients={clients} message={size} B");
        Console.WriteLine($"requests={latencies.Length} failures={failures} elapsed={elapsed:F2} s  rps={latencies.Length / elapsed:F0}");
        Console.WriteLine($"latency: {LatencyStats.From(latencies)}");
        return failures == 0 ? 0 : 1;
    }
}
