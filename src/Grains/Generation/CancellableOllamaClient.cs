using OllamaSharp;
using OllamaSharp.Models;

namespace Router.Grains.Generation;

/// <summary>
/// An <see cref="OllamaApiClient"/> whose streaming answers stop the moment their token is cancelled.
/// Once headers are in, HttpClient only watches the token given to each read, and OllamaSharp reads
/// its NDJSON lines without one; so a cancelled generation would wait for the next token, or forever
/// when the backend stalls. Disposing the response on cancellation closes the connection at once,
/// which is also what tells Ollama to stop generating.
/// </summary>
public sealed class CancellableOllamaClient(HttpClient client) : OllamaApiClient(client)
{
    protected override async Task<HttpResponseMessage> SendToOllamaAsync(
        HttpRequestMessage requestMessage, OllamaRequest? ollamaRequest, HttpCompletionOption completionOption, CancellationToken cancellationToken)
    {
        var response = await base.SendToOllamaAsync(requestMessage, ollamaRequest, completionOption, cancellationToken).ConfigureAwait(false);
        if (completionOption == HttpCompletionOption.ResponseHeadersRead && cancellationToken.CanBeCanceled)
        {
            // The registration lives as long as the token's source; the job disposes that when it ends.
            cancellationToken.UnsafeRegister(static state => ((HttpResponseMessage)state!).Dispose(), response);
        }

        return response;
    }
}
