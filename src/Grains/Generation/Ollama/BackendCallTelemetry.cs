using System.Diagnostics;
using System.Diagnostics.Metrics;
using Router.Grains.Diagnostics;

namespace Router.Grains.Generation.Ollama;

/// <summary>
/// The GenAI span and metrics of one streamed Ollama call read by <see cref="OllamaAnswerStream"/>,
/// named as the chat client pipeline's <c>UseOpenTelemetry</c> names them (same source and meter,
/// <see cref="RouterActivitySources.Backend"/>): a <c>chat {model}</c> client span with the request's
/// model, the provider, the server, the finish reason and the token counts, and the
/// <c>gen_ai.client.operation.duration</c> and <c>gen_ai.client.token.usage</c> histograms.
/// </summary>
internal sealed class BackendCallTelemetry : IDisposable
{
    private const string Provider = "ollama";
    private static readonly ActivitySource Source = new(RouterActivitySources.Backend);
    private static readonly Meter Meter = new(RouterActivitySources.Backend);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "gen_ai.client.operation.duration", "s", "Measures the duration of a GenAI operation");

    private static readonly Histogram<int> TokenUsage = Meter.CreateHistogram<int>(
        "gen_ai.client.token.usage", "{token}", "Measures number of input and output tokens used");

    private readonly Activity? _activity;
    private readonly string _model;
    private readonly Uri _server;
    private readonly long _started = Stopwatch.GetTimestamp();
    private string? _error;
    private readonly GenerationResult _result;

    /// <param name="result">The answer as it is read: its finish reason and token counts when the call ends.</param>
    public BackendCallTelemetry(string model, Uri server, GenerationResult result)
    {
        _model = model;
        _result = result;
        _server = server;
        _activity = Source.StartActivity($"chat {model}", ActivityKind.Client);
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag("gen_ai.operation.name", "chat");
            _activity.SetTag("gen_ai.request.model", model);
            _activity.SetTag("gen_ai.provider.name", Provider);
            _activity.SetTag("server.address", server.Host);
            _activity.SetTag("server.port", server.Port);
        }
    }

    public void Failed(Exception failure) => _error = failure.GetType().FullName;

    public void Dispose()
    {
        var tags = new TagList
        {
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.request.model", _model },
            { "gen_ai.provider.name", Provider },
            { "server.address", _server.Host },
            { "server.port", _server.Port },
        };
        if (_error is not null) tags.Add("error.type", _error);
        if (Duration.Enabled) Duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
        if (TokenUsage.Enabled)
        {
            var result = _result;
            if (result.PromptTokens is { } input) TokenUsage.Record((int)input, Typed(tags, "input"));
            if (result.OutputTokens is { } output) TokenUsage.Record((int)output, Typed(tags, "output"));
        }

        if (_activity is null) return;
        if (_activity.IsAllDataRequested)
        {
            if (_error is not null)
            {
                _activity.SetTag("error.type", _error);
                _activity.SetStatus(ActivityStatusCode.Error);
            }

            {
                var answered = _result;
                if (answered.FinishReason is { } reason) _activity.SetTag("gen_ai.response.finish_reasons", new[] { reason });
                if (answered.PromptTokens is { } input) _activity.SetTag("gen_ai.usage.input_tokens", (int)input);
                if (answered.OutputTokens is { } output) _activity.SetTag("gen_ai.usage.output_tokens", (int)output);
            }
        }

        _activity.Dispose();
    }

    private static TagList Typed(TagList tags, string type)
    {
        tags.Add("gen_ai.token.type", type);
        return tags;
    }
}
