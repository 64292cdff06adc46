using System.Net;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation;

/// <summary>
/// Turns a backend failure into the SSE error code and a message a person can act on. The message
/// goes to the client, so it names no host, URL or exception text: those go to the log.
/// </summary>
internal static class BackendErrors
{
    public static CompletionError Describe(Exception exception, string model) => exception switch
    {
        HttpRequestException { StatusCode: HttpStatusCode.NotFound } =>
            new(ErrorCodes.ModelNotFound, $"The model '{model}' is not available on the Ollama server (pull it first)."),
        HttpRequestException { StatusCode: HttpStatusCode.ServiceUnavailable } =>
            new(ErrorCodes.OllamaBusy, "The Ollama server is busy (its queue is full); try again shortly."),
        HttpRequestException { StatusCode: { } status } =>
            new(ErrorCodes.OllamaError, $"The Ollama server answered HTTP {(int)status}."),
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse } =>
            new(ErrorCodes.OllamaStreamBroken, "The Ollama stream broke off before the answer was complete."),
        HttpRequestException =>
            new(ErrorCodes.OllamaUnavailable, $"The Ollama server for '{model}' cannot be reached."),
        OllamaSharp.Models.Exceptions.OllamaException =>
            new(ErrorCodes.OllamaError, "The Ollama server reported an error."),
        IOException or ObjectDisposedException =>
            new(ErrorCodes.OllamaStreamBroken, "The Ollama stream broke off before the answer was complete."),
        System.Text.Json.JsonException =>
            new(ErrorCodes.OllamaStreamBroken, "The Ollama stream carried an unreadable line."),
        _ => new(ErrorCodes.Internal, "The router failed while generating the answer."),
    };
}
