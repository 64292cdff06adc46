namespace Router.OllamaSimulator.Generation;

/// <summary>Error texts as real Ollama words them, so clients' error handling meets familiar bodies.</summary>
internal static class OllamaErrors
{
    public const string ServerBusy = "server busy, please try again.  maximum pending requests exceeded";

    /// <summary>What Ollama streams when the runner dies mid-generation.</summary>
    public const string MidStream = "an error was encountered while running the model: unexpected EOF";

    public static string ModelNotFound(string model) => $"model \"{model}\" not found, try pulling it first";

    public static string ForStatus(int status) => status switch
    {
        400 => "invalid request",
        404 => "not found",
        429 => "too many requests",
        500 => "llama runner process has terminated: exit status 2",
        503 => ServerBusy,
        _ => $"simulated error (status {status})",
    };
}
