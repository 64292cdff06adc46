using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaSharp;
using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Generation.Capabilities;

/// <summary>The model <c>auto</c> routing settles on once capabilities are weighed, and why.</summary>
/// <param name="Reason">Set when the classifier's choice was replaced: what it lacked and who has it.</param>
public readonly record struct CapabilityChoice(string Model, string? Reason, CompletionError? Error);

/// <summary>
/// What each served model can do, learned from its backend and configuration, and the choice of a
/// model that can serve a request. Ollama models are asked once per <see cref="CapabilitiesOptions.CacheTime"/>
/// (<c>/api/show</c>: <c>capabilities</c> and the context length); upstream models are what
/// configuration says, by default tools and structured output without vision or thinking. An Ollama
/// model whose server does not answer is not ruled out until it does.
/// </summary>
public sealed partial class ModelCapabilityRegistry(
    ModelBackends backends,
    IOptions<CapabilitiesOptions> options,
    TimeProvider time,
    ILogger<ModelCapabilityRegistry> logger)
{
    private static readonly ModelCapabilitySet UpstreamDefault = new(Tools: true, Vision: false, Thinking: false, StructuredOutput: true, ContextLength: null);
    private readonly ConcurrentDictionary<string, (ModelCapabilitySet Set, DateTimeOffset Until)> _learned = new(StringComparer.OrdinalIgnoreCase);
    private readonly CapabilitiesOptions _options = options.Value;

    /// <summary>
    /// The classifier's choice when it can serve the request; otherwise the first served model that
    /// can (Ollama's models in configuration order, then the upstreams), with the reason; otherwise
    /// a <c>no_capable_model</c> error naming what is missing.
    /// </summary>
    public async ValueTask<CapabilityChoice> ChooseAsync(string preferred, RequestNeeds needs, CancellationToken cancellationToken)
    {
        if (needs.IsPlain) return new CapabilityChoice(preferred, null, null);
        var lacking = (await GetAsync(preferred, cancellationToken)).Missing(needs);
        if (lacking.Count == 0) return new CapabilityChoice(preferred, null, null);

        foreach (var candidate in backends.Models)
        {
            if (string.Equals(candidate.Name, preferred, StringComparison.OrdinalIgnoreCase)) continue;
            if ((await GetAsync(candidate.Name, cancellationToken)).Missing(needs).Count == 0)
            {
                return new CapabilityChoice(candidate.Name, $"'{preferred}' lacks {string.Join(", ", lacking)}; '{candidate.Name}' has it", null);
            }
        }

        return new CapabilityChoice("", null, new CompletionError(ErrorCodes.NoCapableModel,
            $"No model served by this router can take this request: it needs {string.Join(", ", ModelCapabilitySet.Needed(needs) is { Count: > 0 } needed ? needed : ["a longer context"])}, and no served model has all of it ('{preferred}' lacks {string.Join(", ", lacking)})."));
    }

    /// <summary>What <paramref name="model"/> can do: configuration over what its backend reports.</summary>
    public async ValueTask<ModelCapabilitySet> GetAsync(string model, CancellationToken cancellationToken)
    {
        var learned = backends.Find(model, out var kind) is null ? ModelCapabilitySet.None
            : kind == BackendKind.OpenAICompatible ? UpstreamDefault
            : await LearnAsync(model, cancellationToken);
        return _options.Models.TryGetValue(BaseName(model), out var o) || _options.Models.TryGetValue(model, out o)
            ? new ModelCapabilitySet(
                o.Tools ?? learned.Tools, o.Vision ?? learned.Vision, o.Thinking ?? learned.Thinking,
                o.StructuredOutput ?? learned.StructuredOutput, o.ContextLength ?? learned.ContextLength)
            : learned;
    }

    private async ValueTask<ModelCapabilitySet> LearnAsync(string model, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_learned.TryGetValue(model, out var known) && known.Until > now) return known.Set;
        var api = backends.OllamaClientFor(model);
        if (api is null) return ModelCapabilitySet.None;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ShowTimeout);
            var show = await api.ShowModelAsync(model, timeout.Token);
            var caps = show.Capabilities ?? [];
            bool Has(string name) => caps.Contains(name, StringComparer.OrdinalIgnoreCase);

            // Ollama follows a format with any completion model; it lists no capability for it.
            var set = new ModelCapabilitySet(Has("tools"), Has("vision"), Has("thinking"), caps.Length == 0 || Has("completion"), ContextLengthOf(show.Info?.ExtraInfo));
            _learned[model] = (set, now + _options.CacheTime);
            return set;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Unknown until the server answers: the model is not ruled out (a server that is down fails
            // the request anyway, with the error that says so, and one that refuses says why), and it
            // is asked again soon.
            Log.ShowFailed(logger, model, ex.Message);
            var set = new ModelCapabilitySet(true, true, true, true, null);
            _learned[model] = (set, now + TimeSpan.FromSeconds(30));
            return set;
        }
    }

    private static int? ContextLengthOf(IDictionary<string, object>? info)
    {
        foreach (var (key, value) in info ?? new Dictionary<string, object>())
        {
            if (!key.EndsWith(".context_length", StringComparison.Ordinal)) continue;
            return value switch
            {
                JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out var n) => n,
                int n => n,
                long n => (int)Math.Min(int.MaxValue, n),
                _ => null,
            };
        }

        return null;
    }

    private static string BaseName(string model)
    {
        var colon = model.IndexOf(':');
        return colon < 0 ? model : model[..colon];
    }

    private static partial class Log
    {
        [LoggerMessage(1611, LogLevel.Warning, "Could not learn the capabilities of {Model} from Ollama: {Reason}")]
        public static partial void ShowFailed(ILogger logger, string model, string reason);
    }
}
