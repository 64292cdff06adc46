using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Router.Testing;

/// <summary>
/// A classifier service for tests: a real HTTP server on 127.0.0.1 that answers the classifier
/// contract. What it answers is steered by markers in the message, so one instance serves every test:
/// <c>[[classify:code]]</c> → <c>qwen2.5-coder</c> / <c>code</c>; <c>[[classify:math]]</c> → <c>deepseek-r1</c>;
/// <c>[[classifier:500]]</c> → HTTP 500; <c>[[classifier:slow]]</c> → answers after 10 s;
/// <c>[[classifier:badjson]]</c> → a body that is not JSON; <c>[[classifier:delay=N]]</c> → answers after N ms;
/// <c>[[classify:model=NAME]]</c> → model NAME, category <c>test</c>;
/// <c>[[confidence:0.6]]</c> sets the confidence (0.9 otherwise);
/// <c>[[classifier:hold=NAME]]</c> → answers once <see cref="Release"/> names NAME (or the caller gives up); <see cref="WaitHeldAsync"/> awaits its arrival.
/// Anything else → <c>llama3.2</c> / <c>conversation</c>.
/// </summary>
public sealed class ClassifierStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentDictionary<string, (TaskCompletionSource Arrived, TaskCompletionSource Released)> _holds = new();

    private ClassifierStub(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The endpoint to use as <c>Classifier:Url</c>.</summary>
    public Uri Url { get; }

    /// <summary>Waits until a request held by <c>[[classifier:hold=NAME]]</c> arrived; fails after <paramref name="timeout"/>.</summary>
    public Task WaitHeldAsync(string name, TimeSpan timeout) => Hold(name).Arrived.Task.WaitAsync(timeout);

    /// <summary>Lets the requests held under <paramref name="name"/> be answered.</summary>
    public void Release(string name) => Hold(name).Released.TrySetResult();

    private (TaskCompletionSource Arrived, TaskCompletionSource Released) Hold(string name) =>
        _holds.GetOrAdd(name, _ => (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));

    /// <summary>How many times a message was classified.</summary>
    public int CallsFor(string message) => _calls.TryGetValue(message, out var n) ? n : 0;

    public static async Task<ClassifierStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ClassifierStub? stub = null;
        app.MapPost("/complete", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var message = body.RootElement.GetProperty("message").GetString() ?? "";
            stub!._calls.AddOrUpdate(message, 1, (_, n) => n + 1);
            await stub!.HoldAsync(context, message);
            await AnswerAsync(context, message);
        });
        await app.StartAsync();
        stub = new ClassifierStub(app, new Uri(app.Urls.First() + "/complete"));
        return stub;
    }

    private async Task HoldAsync(HttpContext context, string message)
    {
        const string HoldMarker = "[[classifier:hold=";
        var at = message.IndexOf(HoldMarker, StringComparison.Ordinal);
        if (at < 0) return;
        var start = at + HoldMarker.Length;
        var hold = Hold(message[start..message.IndexOf("]]", start, StringComparison.Ordinal)]);
        hold.Arrived.TrySetResult();
        await hold.Released.Task.WaitAsync(context.RequestAborted);
    }

    private static async Task AnswerAsync(HttpContext context, string message)
    {
        if (message.Contains("[[classifier:500]]"))
        {
            context.Response.StatusCode = 500;
            return;
        }

        if (message.Contains("[[classifier:slow]]"))
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
        }

        var delayAt = message.IndexOf("[[classifier:delay=", StringComparison.Ordinal);
        if (delayAt >= 0)
        {
            var start = delayAt + "[[classifier:delay=".Length;
            var ms = int.Parse(message.AsSpan(start, message.IndexOf("]]", start, StringComparison.Ordinal) - start));
            await Task.Delay(ms, context.RequestAborted);
        }

        if (message.Contains("[[classifier:badjson]]"))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"model\": llama");
            return;
        }

        const string ModelMarker = "[[classify:model=";
        var modelAt = message.IndexOf(ModelMarker, StringComparison.Ordinal);
        var (model, category) = modelAt >= 0 ? (message[(modelAt + ModelMarker.Length)..message.IndexOf("]]", modelAt, StringComparison.Ordinal)], "test")
            : message.Contains("[[classify:code]]") ? ("qwen2.5-coder", "code")
            : message.Contains("[[classify:math]]") ? ("deepseek-r1", "math")
            : ("llama3.2", "conversation");
        const string ConfidenceMarker = "[[confidence:";
        var confidenceAt = message.IndexOf(ConfidenceMarker, StringComparison.Ordinal);
        var confidence = confidenceAt < 0 ? 0.9 : double.Parse(
            message[(confidenceAt + ConfidenceMarker.Length)..message.IndexOf("]]", confidenceAt, StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new { model, category, confidence });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
