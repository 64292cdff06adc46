using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>Ollama's error shape (<c>{"error": "…"}</c>, the status saying the rest) for a failure before the answer starts.</summary>
internal sealed class OllamaErrors : SurfaceErrors<RequestProblem>
{
    public static readonly OllamaErrors Instance = new();

    public override RequestProblem FromProblem(RequestProblem problem) => problem;

    public override RequestProblem FromStartError(CompletionError error) => new(StatusFor(error.Code), error.Code, "Error", error.Message);

    public override RequestProblem Unreadable() => OllamaRequestReader.Invalid("invalid_request", "The request could not be read.");

    public override RequestProblem Describe(RequestProblem error) => error;

    public override Task WriteAsync(HttpContext context, RequestProblem error, CompletionFlow? flow) => OllamaRelay.WriteErrorAsync(context, error.Status, error.Detail);

    /// <summary>The HTTP status an Ollama client gets for a router error code.</summary>
    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.ModelNotFound => StatusCodes.Status404NotFound,
        // The backend's own refusal (a capability the model lacks, an option it rejects) or no model
        // able to serve the request: the client's request is what must change, as with Ollama's 400.
        ErrorCodes.BackendRefused or ErrorCodes.NoCapableModel => StatusCodes.Status400BadRequest,
        ErrorCodes.ClassifierUnavailable or ErrorCodes.OllamaUnavailable or ErrorCodes.OllamaBusy or ErrorCodes.SiloUnavailable
            or ErrorCodes.UpstreamUnavailable or ErrorCodes.UpstreamBusy
            or ErrorCodes.ShuttingDown or ErrorCodes.StreamOverloaded => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.OllamaError or ErrorCodes.OllamaStreamBroken or ErrorCodes.UpstreamError or ErrorCodes.UpstreamStreamBroken => StatusCodes.Status502BadGateway,
        ErrorCodes.OllamaTimeout or ErrorCodes.UpstreamTimeout or ErrorCodes.StreamTimeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };
}
