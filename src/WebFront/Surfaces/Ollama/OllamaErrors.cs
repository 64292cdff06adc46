using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>The HTTP status an Ollama client gets for a failure that happens before its answer starts.</summary>
internal static class OllamaErrors
{
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
