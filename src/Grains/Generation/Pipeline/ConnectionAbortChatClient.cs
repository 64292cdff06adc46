using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Router.Grains.Generation.Pipeline;

/// <summary>
/// Makes a cancelled call stop at once, with its HTTP connection closed. Once the response headers
/// are in, HttpClient watches only the token given to each read, and OllamaSharp reads its NDJSON
/// lines without one: a cancelled generation would wait for the next token, or forever when the
/// backend stalls. This decorator hands the call's token to <see cref="ConnectionAbortHandler"/>
/// (on the backend's HttpClient), which disposes the response when the token fires: the read fails
/// at once, and the closed connection is what tells the backend to stop generating.
/// </summary>
/// <remarks>
/// The token travels in an <see cref="AsyncLocal{T}"/> because the chat client builds its HTTP request
/// itself; the handler reads it in the same asynchronous flow, when the request is sent.
/// </remarks>
public sealed class ConnectionAbortChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    // The call's source rather than its token: setting the same reference again is free, while a
    // token (a struct, boxed anew) made every token of the answer copy the execution context.
    private static readonly AsyncLocal<CancellationTokenSource?> CallToken = new();

    /// <summary>The token of the call whose request is being sent in this flow; none outside a call.</summary>
    internal static CancellationToken Current
    {
        get
        {
            try
            {
                return CallToken.Value?.Token ?? CancellationToken.None;
            }
            catch (ObjectDisposedException)
            {
                // A flow that outlived its call: nothing to watch any more.
                return CancellationToken.None;
            }
        }
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CallToken.Value = call;
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The call was cancelled.", ex, cancellationToken);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A source of the call's own: the handler's registration on it goes when the call ends.
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    // Set before every step: an iterator's flow does not keep it across a yield.
                    CallToken.Value = call;
                    if (!await updates.MoveNextAsync().ConfigureAwait(false)) break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException && cancellationToken.IsCancellationRequested)
                {
                    // The disposed response surfaces as an I/O error; it is the cancellation the caller asked for.
                    throw new OperationCanceledException("The call was cancelled.", ex, cancellationToken);
                }

                yield return updates.Current;
            }
        }

        // OllamaSharp ends its loop quietly when cancelled; that must not pass for a complete answer.
        cancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>
/// The HTTP half of <see cref="ConnectionAbortChatClient"/>: disposes a response when the token of the
/// call that sent it fires. Requests sent outside such a call (probes, model lists) are left alone.
/// </summary>
public sealed class ConnectionAbortHandler : DelegatingHandler
{
    public ConnectionAbortHandler()
    {
    }

    public ConnectionAbortHandler(HttpMessageHandler innerHandler) : base(innerHandler)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Read before the await: the flow that sent the request is the call's.
        var call = ConnectionAbortChatClient.Current;
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (call.CanBeCanceled)
        {
            // Runs at once when the call is already cancelled; the call's own source drops it when the call ends.
            call.UnsafeRegister(static state => ((HttpResponseMessage)state!).Dispose(), response);
        }

        return response;
    }
}
