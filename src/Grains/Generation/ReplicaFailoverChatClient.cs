using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Router.Grains.Diagnostics;
using Router.Grains.Generation.Pipeline;
using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>
/// The chat client of a model with several Ollama replicas. A request goes to the replica
/// <see cref="ReplicaPool.Acquire"/> picks; until its first token arrives nothing has reached the
/// client, so a refused connection, a 5xx (Ollama's 503 "queue full" among them), a stream that ends
/// early or no first token within <see cref="OllamaOptions.FirstTokenTimeout"/> moves it to another
/// replica, unseen. After the first token a failure is the caller's, as with a single server.
/// </summary>
/// <remarks>
/// Microsoft.Extensions.AI's own failover template (experimental in 10.x) commits on the first update
/// of any kind, fails over on every error (a 404 too) and runs each try on the request's token; the
/// router needs the first token as the line, a per-try first-token limit that aborts only that try's
/// connection, and a deadline over all tries, so it keeps this small client of its own.
/// </remarks>
internal sealed partial class ReplicaFailoverChatClient : IChatClient
{
    private readonly ReplicaPool _pool;
    private readonly OllamaOptions _options;
    private readonly RouterInstruments? _instruments;
    private readonly ILogger _logger;
    private readonly int _attempts;

    public ReplicaFailoverChatClient(ReplicaPool pool, OllamaOptions options, RouterInstruments? instruments, ILogger logger)
    {
        _pool = pool;
        _options = options;
        _instruments = instruments;
        _logger = logger;

        // Each replica at most once: a second try of one that just failed rarely helps within one request.
        _attempts = Math.Min(options.AttemptsFor(pool.Replicas.Count), pool.Replicas.Count);
        FirstTokenDeadline = options.FailoverDeadlineFor(_attempts);
    }

    /// <summary>How long all tries of one request may take together until its first token.</summary>
    public TimeSpan FirstTokenDeadline { get; }

    internal ReplicaPool Pool => _pool;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Every try sends the same messages, so they are read once.
        var history = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var started = Stopwatch.GetTimestamp();
        var tried = new List<OllamaReplica>(_attempts);
        Exception? failure = null;
        StartedAnswer? answer = null;
        while (answer is null && tried.Count < _attempts)
        {
            var remaining = FirstTokenDeadline - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero || _pool.Acquire(tried) is not { } replica) break;
            tried.Add(replica);
            try
            {
                answer = await StartedAnswer.StartAsync(replica, history, options, Min(_options.FirstTokenTimeout, remaining), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Reason(ex) is { } reason)
            {
                failure = ex is OperationCanceledException ? Timeout() : ex;
                replica.Eject(reason);
                if (tried.Count < _attempts)
                {
                    _instruments?.BackendFailover(replica.Endpoint, reason);
                    LogFailingOver(_logger, replica.Endpoint, options?.ModelId, reason, tried.Count, _attempts);
                }
                else
                {
                    LogLastTryFailed(_logger, replica.Endpoint, options?.ModelId, reason, tried.Count);
                }
            }
        }

        if (answer is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw failure ?? Timeout();
        }

        await using (answer.ConfigureAwait(false))
        {
            foreach (var update in answer.Held) yield return update;
            while (await answer.Stream.MoveNextAsync().ConfigureAwait(false)) yield return answer.Stream.Current;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        // The replicas belong to ModelBackends, which may share them with other models.
    }

    private ChatTimeoutException Timeout() => new(ChatTimeoutKind.FirstToken, _options.FirstTokenTimeout);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Why a failure before the first token is worth another replica (also the metric's reason tag); null when it is not.</summary>
    private static string? Reason(Exception ex) => ex switch
    {
        // A 4xx (an unknown model, a bad request) would be answered the same by every replica.
        HttpRequestException { StatusCode: { } status } when (int)status >= 500 => $"http_{(int)status}",
        HttpRequestException { StatusCode: not null } => null,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => "unreachable",
        HttpRequestException or IOException or System.Text.Json.JsonException => "stream_broken",
        OperationCanceledException => "first_token_timeout",
        _ => null,
    };

    [LoggerMessage(1501, LogLevel.Warning, "Ollama replica {Endpoint} failed before the first token of a {Model} request ({Reason}); trying another replica (try {Attempt} of {Attempts})")]
    private static partial void LogFailingOver(ILogger logger, string endpoint, string? model, string reason, int attempt, int attempts);

    [LoggerMessage(1502, LogLevel.Warning, "Ollama replica {Endpoint} failed before the first token of a {Model} request ({Reason}); no replica left to try after {Attempts} tries")]
    private static partial void LogLastTryFailed(ILogger logger, string endpoint, string? model, string reason, int attempts);

    /// <summary>An answer whose first token has arrived, with what came before it, on the replica it counts against.</summary>
    private sealed class StartedAnswer(OllamaReplica replica, IAsyncEnumerator<ChatResponseUpdate> stream, CancellationTokenSource attempt, List<ChatResponseUpdate> held)
        : IAsyncDisposable
    {
        public IAsyncEnumerator<ChatResponseUpdate> Stream { get; } = stream;

        public List<ChatResponseUpdate> Held { get; } = held;

        /// <summary>Reads until the first token; throws (the try is over and uncounted) when the replica fails first.</summary>
        public static async Task<StartedAnswer> StartAsync(
            OllamaReplica replica, IReadOnlyList<ChatMessage> history, ChatOptions? options, TimeSpan firstToken, CancellationToken cancellationToken)
        {
            // The try's own token: cancelling it on a timeout aborts this replica's connection, not the request.
            var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(firstToken);
            var stream = replica.Chat.GetStreamingResponseAsync(history, options, attempt.Token).GetAsyncEnumerator(attempt.Token);
            var answer = new StartedAnswer(replica, stream, attempt, []);
            try
            {
                while (await stream.MoveNextAsync().ConfigureAwait(false))
                {
                    answer.Held.Add(stream.Current);
                    if (WatchdogChatClient.IsToken(stream.Current))
                    {
                        attempt.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);

                        // The timer may have fired just before it was stopped; nothing is out yet, so that is still a timeout.
                        attempt.Token.ThrowIfCancellationRequested();
                        return answer;
                    }
                }

                // OllamaSharp ends its loop quietly when cancelled.
                attempt.Token.ThrowIfCancellationRequested();
                throw new IOException("the replica's stream ended before its first token");
            }
            catch
            {
                await answer.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Stream.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                attempt.Dispose();
                replica.Exit();
            }
        }
    }
}
