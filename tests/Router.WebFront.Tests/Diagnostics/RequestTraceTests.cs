using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Router.Grains.Diagnostics;
using Router.Hosting;
using Router.OllamaSimulator;
using Router.Testing;

namespace Router.WebFront.Tests.Diagnostics;

/// <summary>
/// One request, one trace: a /complete request through the co-hosted web front to the simulator, with
/// the router's own instrumentation (<see cref="RouterTracing.AddRouterInstrumentation"/>) exported to
/// memory. The web front's server span must be the root, and the grain calls, the generation, the
/// GenAI call and the HTTP call to the simulator its descendants, with no link of the chain missing.
/// </summary>
[Collection(RouterCollection.Name)]
public sealed class RequestTraceTests(RouterFixture fixture)
{
    [Fact]
    public async Task A_completion_is_one_trace_from_the_web_front_through_the_grains_to_the_backend()
    {
        var spans = new SpanList();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddRouterInstrumentation()
            .AddAspNetCoreInstrumentation()
            .AddInMemoryExporter(spans)
            .Build();

        // The test's own request carries no trace context (its HTTP call is not traced): the web front starts the trace.
        var nonce = Guid.NewGuid().ToString("N");
        string requestId;
        SseStream sse;
        using (SuppressInstrumentationScope.Begin())
        {
            sse = await SseClient.PostAsync(fixture.Http, $"Trace me {nonce} [[sim:tokens=3]]", "tracer", Timeouts.Token());
        }

        await using (sse)
        {
            requestId = Assert.Single(sse.Response.Headers.GetValues("x-request-id"));
            Assert.True((await sse.ReadToEndAsync(Timeouts.Token()))[^1].IsDone, "the answer did not end with done");
        }

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.Completed, simulated.Outcome);

        // Spans are exported as they end; the generation's ends after the client has its answer.
        var generation = await spans.WaitForAsync(s => s.Source.Name == RouterActivitySources.Generation && Equals(s.GetTagItem("router.request_id"), requestId), "the generation span");
        var trace = generation.TraceId;
        // The classifier service and the simulator run in this process too: their server spans are in the trace, under the root.
        var server = await spans.WaitForAsync(
            s => s.TraceId == trace && s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore" && s.ParentSpanId == default, "the root span");
        var backendHttp = await spans.WaitForAsync(
            s => s.TraceId == trace && s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http" && Equals(s.GetTagItem("server.port"), fixture.Simulator.BaseUrl.Port),
            "the HTTP call to the simulator");

        var inTrace = spans.Snapshot().Where(s => s.TraceId == trace).ToDictionary(s => s.SpanId);
        var shape = string.Join("\n", inTrace.Values.Select(s => $"{s.Source.Name} {s.Kind} '{s.DisplayName}' {s.SpanId} <- {s.ParentSpanId}"));
        Assert.Equal(("POST", "/complete", fixture.Router.BaseUrl.Port), (server.GetTagItem("http.request.method"), server.GetTagItem("url.path"), server.GetTagItem("server.port")));

        // Every span's chain of parents must reach the server span.
        foreach (var span in inTrace.Values)
        {
            Assert.True(Ancestry(span, inTrace)[^1] == server, $"'{span.DisplayName}' ({span.Source.Name}) does not reach the root:\n{shape}");
        }

        // The grain calls are Orleans' own spans, between the request and the generation.
        var path = Ancestry(backendHttp, inTrace);
        Assert.Contains(path, s => s.Source.Name == RouterActivitySources.Backend && s.GetTagItem("gen_ai.operation.name") is "chat");
        Assert.Contains(generation, path);
        var grainCall = Assert.Single(path, s => s.Source.Name.StartsWith("Microsoft.Orleans.", StringComparison.Ordinal) && s.Kind == ActivityKind.Server);
        Assert.Contains("UserSessionGrain", grainCall.DisplayName, StringComparison.Ordinal);
        Assert.Contains(inTrace.Values, s => s.Source.Name.StartsWith("Microsoft.Orleans.", StringComparison.Ordinal) && s.Kind == ActivityKind.Client);
        Assert.Equal("done", generation.GetTagItem("router.outcome"));
    }

    /// <summary>The span, its parent, its parent's parent... up to the first span whose parent is not in the trace.</summary>
    private static List<Activity> Ancestry(Activity span, Dictionary<ActivitySpanId, Activity> trace)
    {
        var chain = new List<Activity> { span };
        while (chain[^1].ParentSpanId != default && trace.TryGetValue(chain[^1].ParentSpanId, out var parent)) chain.Add(parent);
        return chain;
    }

    /// <summary>The exporter's collection: it adds from the threads that end spans while the test reads.</summary>
    private sealed class SpanList : ICollection<Activity>
    {
        private readonly List<Activity> _spans = [];
        private readonly SemaphoreSlim _added = new(0);

        public int Count { get { lock (_spans) return _spans.Count; } }

        public bool IsReadOnly => false;

        public void Add(Activity item)
        {
            lock (_spans) _spans.Add(item);
            _added.Release();
        }

        public List<Activity> Snapshot()
        {
            lock (_spans) return [.. _spans];
        }

        /// <summary>Waits until a span that matches has been exported.</summary>
        public async Task<Activity> WaitForAsync(Func<Activity, bool> match, string what)
        {
            using var deadline = new CancellationTokenSource(Timeouts.Event);
            while (true)
            {
                if (Snapshot().FirstOrDefault(match) is { } found) return found;
                try
                {
                    await _added.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"{what} was not exported within {Timeouts.Event.TotalSeconds} s");
                }
            }
        }

        public void Clear()
        {
            lock (_spans) _spans.Clear();
        }

        public bool Contains(Activity item)
        {
            lock (_spans) return _spans.Contains(item);
        }

        public void CopyTo(Activity[] array, int arrayIndex)
        {
            lock (_spans) _spans.CopyTo(array, arrayIndex);
        }

        public bool Remove(Activity item)
        {
            lock (_spans) return _spans.Remove(item);
        }

        public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
