using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Router.Grains.Generation;
using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Sessions;

/// <summary>
/// The per-user session. Reentrant: a call only classifies and hands the generation to the
/// <see cref="CompletionRunner"/>, so concurrent requests of one user never queue behind each other.
/// Placed at random: sessions (and the generations they start) spread evenly over the silos, where
/// the default placement piles a burst of new users onto whichever silo looked idle.
/// </summary>
[Reentrant]
[Orleans.Placement.RandomPlacement]
public sealed class UserSessionGrain(
    [PersistentState("session", RouterStorage.Sessions)] IPersistentState<UserSessionState> session,
    CompletionRunner runner,
    ModelBackends backends,
    IOptions<GenerationOptions> options) : Grain, IUserSessionGrain
{
    private readonly HashSet<Guid> _running = [];
    private readonly int _maxTurns = options.Value.MaxTurns;
    private readonly long _maxHistoryBytes = options.Value.MaxHistoryBytes;
    private readonly TimeSpan _retention = options.Value.HistoryRetention;

    /// <summary>How many recorded request ids the state remembers to recognise a repeated report.</summary>
    private const int RecentOutcomeIds = 64;

    /// <summary>The latest write of the state; awaiting it means every outcome applied before it is stored.</summary>
    private Task _written = Task.CompletedTask;

    /// <summary>True while the latest write waits for the one before it: it has not taken the state yet.</summary>
    private bool _writeQueued;

    public async ValueTask<CompletionTicket> StartCompletionAsync(CompletionRequest request, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        if (runner.IsStopping)
        {
            // Hand the session off: the activation migrates to another silo (placement picks it,
            // the state travels with it) and the caller's retry reaches it there.
            MigrateOnIdle();
            return new CompletionTicket("", null, false, new CompletionError(ErrorCodes.SiloUnavailable, "This router node is stopping; the request was not started."));
        }

        var decision = request.Model is { } named
            ? Named(named)
            : await GrainFactory.GetGrain<IClassifierGrain>(0).RouteAsync(
                new RouteQuery(request.Message, RequestNeeds.Of(request.Input, request.Settings), EarlierUserTurns(request)), cancellationToken);
        session.State.Requests++;
        if (decision.Error is { } error)
        {
            session.State.Failed++;
            WriteBehind();
            return new CompletionTicket("", null, false, error);
        }

        if (request.Input is { } input && BackendInputCheck.Refuse(decision.Model, input, request.Settings, backends) is { } refused)
        {
            session.State.Failed++;
            WriteBehind();
            return new CompletionTicket("", null, false, refused);
        }

        var history = request.Input is not null ? [] : request.Context ?? (request.Stateless ? [] : History());
        var spec = new CompletionJobSpec(
            this.GetPrimaryKeyString(), request.RequestId, request.Message, decision.Model, decision.Category,
            history, started, request.ReplyLane, request.Settings, decision.Confidence,
            request.ResumeWindow, request.Input, request.Lease,
            request.Input?.EstimatedPromptTokens() ?? PromptEstimate.Of(request.Message, history), request.Stateless);
        if (runner.Start(spec) is null)
        {
            // The web front gave up on this start and forbade its id: it was not started, and is not counted.
            session.State.Requests--;
            return new CompletionTicket("", null, false, new CompletionError(ErrorCodes.Cancelled, "This start was withdrawn by the router."));
        }

        _running.Add(request.RequestId);
        return new CompletionTicket(decision.Model, decision.Category, decision.CacheHit, null, GrainContext.Address.SiloAddress, decision.Confidence,
            decision.RoutingReason, decision.Sticky, decision.Tier);
    }

    /// <summary>
    /// The user turns before this message: the client's own when it owns the conversation (the last
    /// user message is the one routed on), else the session's.
    /// </summary>
    private string[] EarlierUserTurns(CompletionRequest request)
    {
        if (request.Input is { } input)
        {
            var users = input.Messages.Where(m => m.Role == "user").Select(m => m.Text).ToList();
            if (users.Count > 0) users.RemoveAt(users.Count - 1);
            return [.. users.TakeLast(RouteQuery.MaxEarlierTurns)];
        }

        if (request.Context is { } context) return [.. context.Where(t => t.Role == "user").Select(t => t.Content).TakeLast(RouteQuery.MaxEarlierTurns)];
        if (request.Stateless) return [];
        return [.. session.State.Turns.Select(t => t.UserMessage).TakeLast(RouteQuery.MaxEarlierTurns)];
    }

    /// <summary>A model the client named: it must have a backend here.</summary>
    private ClassifierDecision Named(string model) => backends.Find(model) is null
        ? new ClassifierDecision("", null, null, false, new CompletionError(ErrorCodes.ModelNotFound, $"The model '{model}' is not served by this router."))
        : new ClassifierDecision(model, null, null, false, null);

    private ChatTurn[] History()
    {
        Forget(DateTimeOffset.UtcNow);
        var turns = session.State.Turns;
        var history = new ChatTurn[turns.Count * 2];
        for (var i = 0; i < turns.Count; i++)
        {
            history[2 * i] = new ChatTurn("user", turns[i].UserMessage);
            history[2 * i + 1] = new ChatTurn("assistant", turns[i].AssistantMessage);
        }

        return history;
    }

    public ValueTask<UserSessionSnapshot> GetSessionAsync(CancellationToken cancellationToken = default)
    {
        var s = session.State;
        return ValueTask.FromResult(new UserSessionSnapshot(
            s.Turns.ToArray(), s.Requests, s.Completed, s.Failed, s.PromptTokens, s.OutputTokens, _running.Count));
    }

    public ValueTask RecordOutcomeAsync(CompletionOutcome outcome, CancellationToken cancellationToken = default)
    {
        _running.Remove(outcome.RequestId);
        var s = session.State;
        if (s.RecentOutcomes.Contains(outcome.RequestId)) return ValueTask.CompletedTask;
        s.RecentOutcomes.Add(outcome.RequestId);
        if (s.RecentOutcomes.Count > RecentOutcomeIds) s.RecentOutcomes.RemoveRange(0, s.RecentOutcomes.Count - RecentOutcomeIds);
        if (outcome.ErrorCode is null)
        {
            s.Completed++;
            s.PromptTokens += outcome.PromptTokens;
            s.OutputTokens += outcome.OutputTokens;
            if (_maxTurns > 0 && !outcome.Stateless)
            {
                s.Turns.Add(new ConversationTurn(outcome.UserMessage, outcome.AssistantText, outcome.Model, DateTimeOffset.UtcNow));
                if (s.Turns.Count > _maxTurns) s.Turns.RemoveRange(0, s.Turns.Count - _maxTurns);
            }

            Forget(DateTimeOffset.UtcNow);
        }
        else
        {
            s.Failed++;
        }

        WriteBehind();
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> EstimateHistoryTokensAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(PromptEstimate.Of("", History()) - 1);

    public async ValueTask ClearHistoryAsync(CancellationToken cancellationToken = default)
    {
        session.State.Turns.Clear();
        await PersistAsync();
    }

    /// <summary>
    /// Drops the turns older than <see cref="GenerationOptions.HistoryRetention"/>, then the oldest
    /// until the rest fit <see cref="GenerationOptions.MaxHistoryBytes"/> (a turn alone beyond it goes too).
    /// </summary>
    private void Forget(DateTimeOffset now)
    {
        var turns = session.State.Turns;
        var old = turns.FindIndex(t => t.At > now - _retention);
        if (old != 0) turns.RemoveRange(0, old < 0 ? turns.Count : old);
        long chars = 0;
        foreach (var turn in turns) chars += turn.UserMessage.Length + turn.AssistantMessage.Length;
        if (chars * 3 <= _maxHistoryBytes) return; // UTF-8 takes at most three bytes per UTF-16 character: they fit uncounted
        long bytes = 0;
        var keep = turns.Count;
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            bytes += System.Text.Encoding.UTF8.GetByteCount(turns[i].UserMessage) + System.Text.Encoding.UTF8.GetByteCount(turns[i].AssistantMessage);
            if (bytes > _maxHistoryBytes) break;
            keep = i;
        }

        if (bytes > _maxHistoryBytes) turns.RemoveRange(0, keep);
    }

    public async ValueTask<bool> IsRecordedAsync(Guid requestId, CancellationToken cancellationToken = default)
    {
        if (!session.State.RecentOutcomes.Contains(requestId)) return false;
        try
        {
            await _written;
        }
        catch
        {
            // The write behind failed (the store was down): write again now; if that fails, the caller retries.
            await PersistAsync();
        }

        return true;
    }

    /// <summary>Write-behind: the write runs in this activation after the call returns; nobody waits for it here.</summary>
    private void WriteBehind() =>
        PersistAsync().ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);

    /// <summary>
    /// Writes the state after the write in flight, one at a time so ETags stay in order. A write
    /// that is still waiting its turn takes the state only when it starts, so it already carries
    /// every outcome applied meanwhile: however slow the store, at most one write waits behind the
    /// running one, and the number of writes follows the store's pace, not the number of answers.
    /// </summary>
    private Task PersistAsync()
    {
        if (_writeQueued) return _written;
        _writeQueued = true;
        _written = WriteAfterAsync(_written);
        return _written;
    }

    private async Task WriteAfterAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch
        {
            // That write's failure is reported to whoever awaits it; this write carries its outcomes again.
        }

        _writeQueued = false;
        await session.WriteStateAsync();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Running generations belong to the silo's runner, not to this activation: they go on, end
        // their streams and report to the session's next activation. (A cluster change can
        // deactivate sessions on healthy silos; a stopping silo drains its runner itself.)
        _running.Clear();
        return Task.CompletedTask;
    }
}
