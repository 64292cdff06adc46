using System.Net;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;

namespace Router.Grains.Generation.Ollama;

/// <summary>
/// OllamaSharp's client, which can also hand over a streamed chat answer unread: its request is built
/// and sent by OllamaSharp as for any call (its mapping of the options and raw request, its status
/// checks: a 400 is its <c>OllamaException</c> with the backend's reason, other statuses an
/// <see cref="HttpRequestException"/>), and the response's body goes to <see cref="OllamaNdjsonReader"/>
/// instead of OllamaSharp's line reading.
/// </summary>
internal sealed class OllamaChatApiClient(HttpClient client) : OllamaApiClient(client)
{
    // Set only for the length of SendChatAsync: every other call of this client (probes, /api/show,
    // the chat client pipeline) is OllamaSharp's own, unchanged.
    private static readonly AsyncLocal<Handover?> Pending = new();

    /// <summary>
    /// Sends a streamed chat request and returns its response once the headers are in (a success
    /// status), its body unread. The caller owns (and disposes) the response.
    /// </summary>
    public async Task<HttpResponseMessage> SendChatAsync(IEnumerable<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        var handover = new Handover();
        Pending.Value = handover;
        try
        {
            // The stand-in body handed back to OllamaSharp is empty: its loop ends without an update.
            await foreach (var _ in ((IChatClient)this).GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
            }
        }
        catch
        {
            handover.Response?.Dispose();
            throw;
        }

        return handover.Response ?? throw new InvalidOperationException("OllamaSharp sent no streamed chat request.");
    }

    protected override async Task<HttpResponseMessage> SendToOllamaAsync(
        HttpRequestMessage requestMessage, OllamaRequest? ollamaRequest, HttpCompletionOption completionOption, CancellationToken cancellationToken)
    {
        var response = await base.SendToOllamaAsync(requestMessage, ollamaRequest, completionOption, cancellationToken).ConfigureAwait(false);
        if (ollamaRequest is not ChatRequest { Stream: true } || Pending.Value is not { Response: null } handover) return response;
        handover.Response = response;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
    }

    private sealed class Handover
    {
        public HttpResponseMessage? Response { get; set; }
    }
}
