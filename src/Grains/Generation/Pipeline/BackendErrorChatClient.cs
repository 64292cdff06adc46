using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation.Pipeline;

/// <summary>Describes a backend failure for a client of the router, for the model it was asked for.</summary>
public delegate CompletionError BackendErrorDescriber(Exception exception, string model);

/// <summary>
/// The outermost decorator of a backend: whatever goes wrong below it leaves as a
/// <see cref="BackendFailureException"/> carrying the router's error code and a message fit for the
/// client, described for the kind of backend the pipeline serves; an answer that ends without its
/// final object (finish or usage) counts as broken off. The caller's own cancellation passes as it is.
/// </summary>
public sealed class BackendErrorChatClient(IChatClient innerClient, BackendErrorDescriber describe) : DelegatingChatClient(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ShouldDescribe(ex, cancellationToken))
        {
            throw Describe(ex, options);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sawFinal = false;
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false)) break;
                }
                catch (Exception ex) when (ShouldDescribe(ex, cancellationToken))
                {
                    throw Describe(ex, options);
                }

                var update = updates.Current;
                sawFinal |= update.FinishReason is not null || update.Contents.Any(c => c is UsageContent);
                yield return update;
            }
        }

        if (!sawFinal && !cancellationToken.IsCancellationRequested)
        {
            throw Describe(new IOException("the backend's stream ended without its final object"), options);
        }
    }

    private static bool ShouldDescribe(Exception ex, CancellationToken cancellationToken) =>
        ex is not BackendFailureException && !cancellationToken.IsCancellationRequested;

    private BackendFailureException Describe(Exception ex, ChatOptions? options) => new(describe(ex, options?.ModelId ?? string.Empty), ex);
}
