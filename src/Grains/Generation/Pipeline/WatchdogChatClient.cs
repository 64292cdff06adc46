using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Router.Grains.Generation.Pipeline;

/// <summary>
/// The shape both backend timeouts share: a deadline on a token of the call's own, moved as updates
/// arrive (<see cref="SilenceTimer"/>: no timer change per token). When it fires, the inner client's request is cancelled (which closes its connection, see
/// <see cref="ConnectionAbortChatClient"/>) and the caller gets a <see cref="ChatTimeoutException"/>;
/// a cancellation of the caller's own token passes through untouched.
/// </summary>
public abstract class WatchdogChatClient(IChatClient innerClient, TimeSpan limit, TimeProvider? timeProvider) : DelegatingChatClient(innerClient)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>How long the silence this watchdog guards may last.</summary>
    public TimeSpan Limit { get; } = limit;

    /// <summary>Which limit this is, for the exception.</summary>
    protected abstract ChatTimeoutKind Kind { get; }

    /// <summary>Whether the timer runs from the start of the call, before any update.</summary>
    protected abstract bool ArmedAtStart { get; }

    /// <summary>What an update does to the timer (<paramref name="armed"/>: whether it runs now): <see cref="Limit"/> re-arms it, an infinite span stops it, null leaves it as it is.</summary>
    protected abstract TimeSpan? After(ChatResponseUpdate update, bool armed);

    // Through the streaming path, so a non-streamed answer is held to the same limits.
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Linked by hand, and timed by a deadline that each update moves without touching a timer.
        using var watchdog = new CancellationTokenSource();
        using var silence = new SilenceTimer(_time, watchdog, ArmedAtStart ? Limit : null);
        using var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), watchdog);
        var armed = ArmedAtStart;
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
                    throw new ChatTimeoutException(Kind, Limit, ex);
                }

                if (After(updates.Current, armed) is { } next)
                {
                    armed = next != Timeout.InfiniteTimeSpan;
                    if (armed) silence.Arm(next);
                    else silence.Disarm();
                }

                yield return updates.Current;
            }
        }

        // Some clients (OllamaSharp) end their loop quietly when cancelled: that is no complete answer.
        if (Fired(watchdog, cancellationToken)) throw new ChatTimeoutException(Kind, Limit);
    }

    private static bool Fired(CancellationTokenSource watchdog, CancellationToken caller) =>
        watchdog.IsCancellationRequested && !caller.IsCancellationRequested;

    /// <summary>An update that carries the answer: text, its finish or its usage counts (not a bare role or an empty delta).</summary>
    internal static bool IsToken(ChatResponseUpdate update) =>
        update.Text.Length > 0 || update.FinishReason is not null || update.Contents.Any(c => c is UsageContent);
}

/// <summary>Ends a call whose first token does not arrive within the limit.</summary>
public sealed class FirstTokenTimeoutChatClient(IChatClient innerClient, TimeSpan limit, TimeProvider? timeProvider = null)
    : WatchdogChatClient(innerClient, limit, timeProvider)
{
    protected override ChatTimeoutKind Kind => ChatTimeoutKind.FirstToken;

    protected override bool ArmedAtStart => true;

    protected override TimeSpan? After(ChatResponseUpdate update, bool armed) => armed && IsToken(update) ? Timeout.InfiniteTimeSpan : null;
}

/// <summary>Ends a started answer that stays silent (no update of any kind) for longer than the limit.</summary>
public sealed class IdleTimeoutChatClient(IChatClient innerClient, TimeSpan limit, TimeProvider? timeProvider = null)
    : WatchdogChatClient(innerClient, limit, timeProvider)
{
    protected override ChatTimeoutKind Kind => ChatTimeoutKind.Idle;

    protected override bool ArmedAtStart => false;

    protected override TimeSpan? After(ChatResponseUpdate update, bool armed) => Limit;
}
