using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Router.Grains.Generation.Pipeline;

/// <summary>
/// Both backend silence limits in one step: the first token must come within the first-token limit
/// from the start of the call, and a started answer (any update) may stay silent for at most the idle
/// limit. Each is a deadline on a token of the call's own, moved as updates arrive
/// (<see cref="SilenceTimer"/>: no timer change per token). When one runs out, the inner client's
/// request is cancelled (which closes its connection, see <see cref="ConnectionAbortChatClient"/>) and
/// the caller gets a <see cref="ChatTimeoutException"/> naming it; a cancellation of the caller's own
/// token passes through untouched.
/// </summary>
/// <param name="firstToken">The first-token limit; null for none.</param>
/// <param name="idle">The idle limit; null for none.</param>
public class WatchdogChatClient(IChatClient innerClient, TimeSpan? firstToken, TimeSpan? idle, TimeProvider? timeProvider) : DelegatingChatClient(innerClient)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    // Through the streaming path, so a non-streamed answer is held to the same limits.
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Linked by hand, and timed by deadlines that each update moves without touching a timer.
        using var watchdog = new CancellationTokenSource();
        using var first = firstToken is { } firstLimit ? new SilenceTimer(_time, watchdog, firstLimit) : null;
        using var silence = idle is not null ? new SilenceTimer(_time, watchdog, armFor: null) : null;
        using var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), watchdog);
        var waiting = first is not null;
        var updates = base.GetStreamingResponseAsync(messages, options, watchdog.Token).GetAsyncEnumerator(watchdog.Token);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false)) break;
                }
                catch (Exception ex) when (Fired(watchdog, cancellationToken))
                {
                    throw Timeout(first, ex);
                }

                if (waiting && IsToken(updates.Current))
                {
                    waiting = false;
                    first!.Disarm();
                }

                if (idle is { } idleLimit) silence!.Arm(idleLimit);
                yield return updates.Current;
            }
        }

        // Some clients (OllamaSharp) end their loop quietly when cancelled: that is no complete answer.
        if (Fired(watchdog, cancellationToken)) throw Timeout(first, null);
    }

    private ChatTimeoutException Timeout(SilenceTimer? first, Exception? inner) => first is { Fired: true } || idle is null
        ? new ChatTimeoutException(ChatTimeoutKind.FirstToken, firstToken!.Value, inner)
        : new ChatTimeoutException(ChatTimeoutKind.Idle, idle.Value, inner);

    private static bool Fired(CancellationTokenSource watchdog, CancellationToken caller) =>
        watchdog.IsCancellationRequested && !caller.IsCancellationRequested;

    /// <summary>An update that carries the answer: text, its finish or its usage counts (not a bare role or an empty delta).</summary>
    internal static bool IsToken(ChatResponseUpdate update) =>
        update.Text.Length > 0 || update.FinishReason is not null || update.Contents.Any(c => c is UsageContent);
}

/// <summary>Ends a call whose first token does not arrive within the limit.</summary>
public sealed class FirstTokenTimeoutChatClient(IChatClient innerClient, TimeSpan limit, TimeProvider? timeProvider = null)
    : WatchdogChatClient(innerClient, limit, idle: null, timeProvider);

/// <summary>Ends a started answer that stays silent (no update of any kind) for longer than the limit.</summary>
public sealed class IdleTimeoutChatClient(IChatClient innerClient, TimeSpan limit, TimeProvider? timeProvider = null)
    : WatchdogChatClient(innerClient, firstToken: null, limit, timeProvider);
