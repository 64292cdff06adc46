using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Router.WebFront.Tests.Auth;
using Xunit.Abstractions;

namespace Router.WebFront.Tests.Completions.Fuzz;

/// <summary>
/// Every JSON surface (<c>/complete</c>, OpenAI chat, Ollama chat and generate, <c>/v1/route</c>, the
/// admin API) with every field given every range of JSON value, removed, or joined by an unknown
/// field, through the real router in Keys mode: no 5xx, no hang, a JSON body on every refusal.
/// </summary>
[Collection(LeaseRouterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SurfaceFuzzTests(LeaseRouterFixture fixture, ITestOutputHelper output)
{
    private const int Parallelism = 8;

    [Fact]
    public async Task Every_surface_with_every_field_in_every_value_range_gets_no_5xx_and_no_hang()
    {
        var (_, key) = await fixture.CreateKeyAsync("fuzz-surfaces");
        // The admin API's patches change a key of their own, not the one the other surfaces use.
        var (keyId, _) = await fixture.CreateKeyAsync("fuzz-patched");
        var cases = new List<(string Surface, HttpMethod Method, string Path, string Body, string What)>();
        foreach (var surface in SurfaceBodies.All)
        {
            var path = surface.Path.Replace("{id}", keyId, StringComparison.Ordinal);
            cases.Add((surface.Name, surface.Method, path, surface.Body, "valid"));
            cases.Add((surface.Name, surface.Method, path, surface.Body[..^1] + ",\"unknown_field\":[1,{}]}", "unknown field"));
            foreach (var value in SurfaceBodies.Values) cases.Add((surface.Name, surface.Method, path, value, $"root = {Short(value)}"));
            foreach (var field in SurfaceBodies.Paths(JsonNode.Parse(surface.Body)!))
            {
                var name = string.Join(".", field);
                cases.Add((surface.Name, surface.Method, path, SurfaceBodies.With(surface.Body, field, null), $"{name} removed"));
                foreach (var value in SurfaceBodies.Values)
                {
                    cases.Add((surface.Name, surface.Method, path, SurfaceBodies.With(surface.Body, field, value), $"{name} = {Short(value)}"));
                }
            }
        }

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<(string Surface, int Status), int>();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Parallelism, MaxResponseDrainSize = 0 })
        {
            BaseAddress = fixture.Router.BaseUrl,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (c, _) =>
        {
            using var deadline = new CancellationTokenSource(Timeouts.Event);
            try
            {
                using var request = new HttpRequestMessage(c.Method, c.Path) { Content = new StringContent(c.Body, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", c.Surface.StartsWith("admin", StringComparison.Ordinal) ? KeysRouterFixture.AdminKey : key);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                var status = (int)response.StatusCode;
                statuses.AddOrUpdate((c.Surface, status), 1, (_, n) => n + 1);
                var body = await response.Content.ReadAsStringAsync(deadline.Token);
                if (status >= 500) failures.Enqueue($"{c.Surface} {c.What}: {status} {Short(body)}");
                else if (status >= 400 && !IsJson(body)) failures.Enqueue($"{c.Surface} {c.What}: {status} without a JSON body: {Short(body)}");
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                failures.Enqueue($"{c.Surface} {c.What}: no whole answer within {Timeouts.Event.TotalSeconds:0} s");
            }
            catch (Exception ex)
            {
                failures.Enqueue($"{c.Surface} {c.What}: {ex.GetType().Name}: {ex.Message}");
            }
        });

        output.WriteLine($"{cases.Count} requests");
        foreach (var ((surface, status), count) in statuses.OrderBy(s => s.Key)) output.WriteLine($"{surface,-16} {status} × {count}");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} requests failed, the first ones:\n{string.Join("\n", failures.Take(15))}");
        // Each surface both answered and refused, or the bodies are not reaching what they claim to test.
        Assert.All(SurfaceBodies.All, s => Assert.Contains(statuses.Keys, k => k.Surface == s.Name && k.Status is >= 200 and < 300));
        Assert.All(SurfaceBodies.All, s => Assert.Contains(statuses.Keys, k => k.Surface == s.Name && k.Status is >= 400 and < 500));

        using var after = await fixture.Http.SendAsync(KeysRouterFixture.Complete(key, "still here [[sim:ttft=0,tokens=2]]"), Timeouts.Token());
        Assert.Equal(200, (int)after.StatusCode);
    }

    private static bool IsJson(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Short(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
