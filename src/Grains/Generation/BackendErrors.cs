using System.ClientModel;
using System.Net;
using Router.Grains.Generation.Pipeline;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation;

/// <summary>
/// Turns a backend failure into the SSE error code and a message a person can act on. The message
/// goes to the client, so it names no host, URL or exception text: those go to the log.
/// </summary>
public static class BackendErrors
{
    public static CompletionError Describe(Exception exception, string model) => exception switch
    {
        BackendFailureException failure => failure.Error,
        ChatTimeoutException { Kind: ChatTimeoutKind.FirstToken } timeout =>
            new(ErrorCodes.OllamaTimeout, $"Ollama sent no token within {timeout.Seconds} s."),
        ChatTimeoutException timeout =>
            new(ErrorCodes.OllamaTimeout, $"The Ollama stream stalled: no token for {timeout.Seconds} s."),
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
        OllamaSharp.Models.Exceptions.ResponseError =>
            new(ErrorCodes.OllamaError, "The Ollama server reported an error."),

        // Thrown for an HTTP 400 only: the backend's own reason (a capability the model lacks, an
        // option it rejects) is about the request, names no host, and is what the client needs.
        OllamaSharp.Models.Exceptions.OllamaException refused =>
            new(ErrorCodes.BackendRefused, $"The model '{model}' refused the request: {Trim(refused.Message)}"),
        IOException or ObjectDisposedException =>
            new(ErrorCodes.OllamaStreamBroken, "The Ollama stream broke off before the answer was complete."),
        System.Text.Json.JsonException =>
            new(ErrorCodes.OllamaStreamBroken, "The Ollama stream carried an unreadable line."),
        _ => new(ErrorCodes.Internal, "The router failed while generating the answer."),
    };

    /// <summary>
    /// The same for an OpenAI-compatible upstream. Its messages name the model, never the server: the
    /// upstream's address and its own error texts are for the log, not for the router's clients.
    /// </summary>
    public static CompletionError DescribeUpstream(Exception exception, string model) => exception switch
    {
        BackendFailureException failure => failure.Error,
        ChatTimeoutException { Kind: ChatTimeoutKind.FirstToken } timeout => UpstreamTimeout(model, $"sent no token within {timeout.Seconds} s"),
        ChatTimeoutException timeout => UpstreamTimeout(model, $"stalled: no token for {timeout.Seconds} s"),
        ClientResultException { Status: 404 } =>
            new(ErrorCodes.ModelNotFound, $"The model '{model}' is not available on its upstream server."),
        ClientResultException { Status: 400 or 422 } result =>
            new(ErrorCodes.BackendRefused, $"The model '{model}' refused the request (HTTP {result.Status}){UpstreamReason(result)}"),
        ClientResultException { Status: 401 or 403 } result =>
            new(ErrorCodes.UpstreamError, $"The upstream server of '{model}' refused the router's credentials (HTTP {result.Status})."),
        ClientResultException { Status: 429 or 503 } result =>
            new(ErrorCodes.UpstreamBusy, $"The upstream server of '{model}' is busy (HTTP {result.Status}); try again shortly."),
        ClientResultException { Status: > 0 } result =>
            new(ErrorCodes.UpstreamError, $"The upstream server of '{model}' answered HTTP {result.Status}."),
        ClientResultException { InnerException: { } inner } => DescribeUpstream(inner, model),
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse } =>
            StreamBroken(model),
        HttpRequestException => new(ErrorCodes.UpstreamUnavailable, $"The upstream server of '{model}' cannot be reached."),
        IOException or ObjectDisposedException or System.Text.Json.JsonException => StreamBroken(model),
        _ => new(ErrorCodes.Internal, "The router failed while generating the answer."),
    };

    /// <summary>
    /// The upstream's own <c>error.message</c> for a refusal: it is about the request and is what the
    /// client needs to fix it. Anything else in the body (and any other status's text) stays in the log.
    /// </summary>
    private static string UpstreamReason(ClientResultException result)
    {
        try
        {
            var body = result.GetRawResponse()?.Content;
            if (body is null) return ".";
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == System.Text.Json.JsonValueKind.Object
                && error.TryGetProperty("message", out var message) && message.ValueKind == System.Text.Json.JsonValueKind.String
                ? $": {Trim(message.GetString()!)}"
                : ".";
        }
        catch (Exception)
        {
            return ".";
        }
    }

    private static string Trim(string reason) => reason.Length <= 300 ? reason : reason[..300];

    public static CompletionError UpstreamTimeout(string model, string what) => new(ErrorCodes.UpstreamTimeout, $"The upstream server of '{model}' {what}.");

    private static CompletionError StreamBroken(string model) =>
        new(ErrorCodes.UpstreamStreamBroken, $"The stream from the upstream server of '{model}' broke off before the answer was complete.");
}

/// <summary>A backend failure already described for the client (an upstream's, in the router's codes).</summary>
public sealed class BackendFailureException(CompletionError error, Exception inner) : Exception(error.Message, inner)
{
    public CompletionError Error { get; } = error;
}
