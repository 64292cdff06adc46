using System.Diagnostics;
using Router.Grains.Interfaces;
using Router.WebFront.Auth;
using Router.WebFront.Cluster;
using Router.WebFront.Diagnostics;
using Router.WebFront.Lanes;

namespace Router.WebFront.Completions;

/// <summary>How a flow's tries begin and end: admission, the start on the cluster, a resume, a retry, the release.</summary>
public sealed partial class CompletionFlow
{
    /// <summary>
    /// Tries at a request whose stream is lost with a silo before its first item. Three, because one
    /// try may be spent on a start that got no answer from the dying silo, and the next one can still
    /// be placed on it before membership has declared it dead.
    /// </summary>
    private const int LostStreamAttempts = 3;

    /// <summary>Resumes onto another lane one answer may take after losing its lane (each loss is rare; a loop is not).</summary>
    private const int LaneRecoveries = 3;

    private int _attempts;
    private int _recoveries;
    private bool _resumed;

    /// <summary>Nothing reached the client yet, so another try cannot be told from the first.</summary>
    private bool CanRetry => TimeToFirstTokenMs is null && _attempts < LostStreamAttempts && !_resumed;

    /// <summary>The session neither sends nor records turns: the client owns its conversation, or nobody is named.</summary>
    private bool Stateless => !_command.Conversation || _command.KeyId is null && _command.UserId == UserIdReader.Anonymous;

    /// <summary>
    /// Takes a slot under the key's limits (nothing to take without a key), reserving the prompt's
    /// estimate and the output cap; the reservation becomes the backend's output limit. False when
    /// refused: the flow is over.
    /// </summary>
    internal async Task<bool> AdmitAsync()
    {
        if (_command.KeyId is not { } keyId) return true;
        var admission = await AcquireAsync(keyId);
        if (admission.Problem is not { } problem) return true;
        _admission = admission;
        Ticket = new CompletionTicket("", null, false, new CompletionError(problem.Code, problem.Detail));
        Fail(Ticket.Error!);
        return false;
    }

    private async Task<KeyAdmission> AcquireAsync(string keyId)
    {
        long prompt = _command.Input?.EstimatedPromptTokens() ?? PromptEstimate.Of(_command.Message, _command.Context);
        if (_command.Input is null && _command.Context is null && !Stateless) prompt += await _core.EstimateHistoryTokensAsync(_command.UserId);
        var admission = await _core.Leases.AcquireAsync(keyId, prompt, _command.Settings?.MaxTokens, _command.Model);
        if (!admission.Granted) return admission;
        _admission = admission;
        _holdsLease = true;
        _settings = (_command.Settings ?? new GenerationSettings()) with { MaxTokens = admission.OutputCap };
        return admission;
    }

    /// <summary>
    /// Before another try under a new id: the old id is forbidden on every silo, so a start of it
    /// still on its way begins nothing. If a generation of it was running, it was stopped and
    /// settles the lease it took; the next try needs a lease of its own. Null when that one is refused.
    /// </summary>
    private async Task<CompletionError?> WithdrawAsync(Guid requestId)
    {
        var wasRunning = await _core.ForbidEverywhereAsync(requestId);
        if (_admission is not { Granted: true } admission) return null;
        if (!wasRunning)
        {
            // Nothing runs under the lease (or what ran is gone with its silo): the next try takes it over.
            _holdsLease = true;
            return null;
        }

        // The stopped try is not billed (the request's row bills the try that answers): its spend is freed.
        await _core.Leases.SettleSpendAsync(admission.Lease, 0m);
        var next = await AcquireAsync(admission.KeyId);
        return next.Problem is { } problem ? new CompletionError(problem.Code, problem.Detail) : null;
    }

    internal async Task StartTryAsync()
    {
        _attempts++;
        RequestId = Guid.NewGuid();
        _expected = 0;
        var inbox = OpenInbox(_core.Lanes.Open(RequestId));
        WebFrontLog.Prompt(_core.Logger, RequestId, _command.Message);
        var request = new CompletionRequest(RequestId, _command.Message, inbox.LaneKey, _command.Model, _command.Context, _settings,
            _command.Resumable ? _core.Options.ResumeWindow : null, _command.Input, _holdsLease ? _admission!.Lease : null, Stateless);
        Ticket = await _core.StartOnClusterAsync(_command, request);
        if (Ticket.Error is { } error)
        {
            _core.Lanes.Close(inbox);
            if (ReferenceEquals(Ticket, CompletionCore.StartTimedOut) && _attempts < LostStreamAttempts)
            {
                // No answer to the start (a call caught by a silo's death): again under a new id, so
                // that a generation the first call may have begun cannot mix into this answer, once
                // the first id is forbidden everywhere, so that it cannot generate (and charge) twice.
                if (await WithdrawAsync(RequestId) is { } refused)
                {
                    Ticket = new CompletionTicket("", null, false, refused);
                    Fail(refused);
                    return;
                }

                await StartTryAsync();
                return;
            }

            Fail(error);
            return;
        }

        // The generation took the lease; it settles it when it ends.
        _holdsLease = false;
        if (_aborted.IsCancellationRequested) _leftBeforeStart = true;
        Watch();
    }

    /// <summary>
    /// Picks up an answer another flow (here or on another web front) began: the items after
    /// <paramref name="afterSequence"/>, then the live rest. False when no silo has it for this user.
    /// </summary>
    internal async Task<bool> ResumeAsync(Guid requestId, int afterSequence, bool finishedOnly = false)
    {
        _resumed = true;
        RequestId = requestId;
        _expected = afterSequence + 1;
        var inbox = OpenInbox(_core.Lanes.Open(requestId));
        var found = await _core.FindAndResumeAsync(new ResumeRequest(requestId, _command.UserId, afterSequence, inbox.LaneKey, finishedOnly), _aborted);
        if (found is not var (silo, ticket))
        {
            _core.Lanes.Close(inbox);
            return false;
        }

        Ticket = new CompletionTicket(ticket.Model, ticket.Category, false, null, silo, ticket.Confidence);
        ResumedUnder(ticket.Lease);
        Watch();
        return true;
    }

    /// <summary>
    /// After a lost lane: while the owner of the generation is alive, the answer is resumed from it
    /// onto another lane of this web front, after the last item received (the stream's guard stays,
    /// so a silo loss still bounds it); when that cannot be, a request that sent nothing yet starts
    /// again. Null when neither is possible: the flow ends with the error it had.
    /// </summary>
    private async Task<CompletionTicket?> RecoverAsync()
    {
        if (Ticket.Silo is { } owner && !_core.SiloWatcher.IsLost(owner) && _recoveries < LaneRecoveries)
        {
            _recoveries++;
            var lostLane = _inbox.LaneKey;
            var inbox = OpenInbox(_core.Lanes.OpenElsewhere(RequestId, lostLane));
            if (await _core.ResumeAtAsync(owner, new ResumeRequest(RequestId, _command.UserId, _expected - 1, inbox.LaneKey)) is not null) return Ticket;
        }

        if (!CanRetry) return null;
        await RetryAsync();
        return Ticket;
    }

    private async Task RetryAsync()
    {
        await EndTryAsync();
        Terminal = false;
        Outcome = "incomplete";
        ErrorCode = null;
        if (await WithdrawAsync(RequestId) is { } refused)
        {
            Ticket = new CompletionTicket("", null, false, refused);
            Fail(refused);
            return;
        }

        await StartTryAsync();
    }

    private RequestInbox OpenInbox(RequestInbox inbox)
    {
        _inbox = inbox;
        inbox.Overflowed = () => _ = Task.Run(() => _core.CancelGenerationAsync(inbox.RequestId, Ticket?.Silo));
        return inbox;
    }

    private void Watch()
    {
        _lastItem = Stopwatch.GetTimestamp();
        _guard = new StreamGuard();
        _core.Drain.Track(_guard);
        _core.SiloWatcher.Watch(_guard, Ticket.Silo);
        _core.Instruments.StreamOpened();
    }

    private void ReleaseGuard()
    {
        if (_guard is not { } guard) return;
        _wait.Dispose();
        _core.Drain.Untrack(guard);
        _core.SiloWatcher.Forget(guard);
        guard.Dispose();
        _guard = null;
        _core.Instruments.StreamClosed();
    }

    /// <summary>
    /// Releases the current try. A generation that did not report its end is stopped, except that a
    /// resumable answer whose client left is only detached: it goes on for the grace, for a resume.
    /// </summary>
    private async Task EndTryAsync()
    {
        if (_inbox is null) return;
        _core.Lanes.Close(_inbox);
        var watched = _guard is not null;
        ReleaseGuard();
        if (!watched || _generationEnded) return;
        if (_command.Resumable && _aborted.IsCancellationRequested && !Terminal && !_leftBeforeStart)
        {
            Detached = true;
            await _core.DetachGenerationAsync(RequestId, Ticket.Silo, _inbox.LaneKey);
        }
        else
        {
            _ = _core.CancelGenerationAsync(RequestId, Ticket.Silo);
        }
    }
}
