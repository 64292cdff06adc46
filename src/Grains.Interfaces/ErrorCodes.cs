namespace Router.Grains.Interfaces;

/// <summary>The short codes of SSE error events; clients and dashboards rely on them.</summary>
public static class ErrorCodes
{
    public const string ClassifierUnavailable = "classifier_unavailable";
    public const string OllamaUnavailable = "ollama_unavailable";
    public const string ModelNotFound = "model_not_found";
    public const string OllamaBusy = "ollama_busy";
    public const string OllamaError = "ollama_error";
    public const string OllamaStreamBroken = "ollama_stream_broken";
    public const string OllamaTimeout = "ollama_timeout";
    public const string UpstreamUnavailable = "upstream_unavailable";
    public const string UpstreamBusy = "upstream_busy";
    public const string UpstreamError = "upstream_error";
    public const string UpstreamStreamBroken = "upstream_stream_broken";
    public const string UpstreamTimeout = "upstream_timeout";
    public const string StreamOverloaded = "stream_overloaded";
    public const string StreamTimeout = "stream_timeout";

    /// <summary>Items of the answer were lost on the way (a gap in its sequence, or its lane was lost).</summary>
    public const string StreamInterrupted = "stream_interrupted";

    /// <summary>The client read slower than the model wrote and its buffer filled; the generation was stopped.</summary>
    public const string ClientTooSlow = "client_too_slow";
    public const string SiloUnavailable = "silo_unavailable";
    public const string ShuttingDown = "shutting_down";
    public const string Cancelled = "cancelled";

    /// <summary>The answer was resumed by another connection: this one ends, the generation goes on there.</summary>
    public const string StreamMoved = "stream_moved";
    public const string Internal = "internal_error";

    /// <summary>The backend refused the request itself (HTTP 400: a capability the model lacks, a bad option); its reason is passed on.</summary>
    public const string BackendRefused = "backend_refused";

    /// <summary>No served model has every capability the request needs (images, tools, thinking, structured output, context length).</summary>
    public const string NoCapableModel = "no_capable_model";
}
