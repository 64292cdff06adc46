using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>The HTTP status an Ollama client gets for a failure that happens before its answer starts.</summary>
internal static class OllamaErrors
{
    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.ModelNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.ClassifierUnavailable or ErrorCodes.OllamaUnavailable or ErrorCodes.OllamaBusy or ErrorCodes.SiloUnavailable
            or ErrorCodes.ShuttingDown or ErrorCodes.StreamOverloaded => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.OllamaError or ErrorCodes.OllamaStreamBroken => StatusCodes.Status502BadGateway,
        ErrorCodes.OllamaTimeout or ErrorCodes.StreamTimeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };
}
