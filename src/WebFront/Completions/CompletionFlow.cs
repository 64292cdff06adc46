using System.Diagnostics;
using Router.Grains.Interfaces;
using Router.Grains.Interfaces.Keys;
using Router.Hosting;
using Router.WebFront.Auth;
using Router.WebFront.Cluster;
using Router.WebFront.Diagnostics;
using Router.WebFront.Lanes;

namespace Router.WebFront.Completions;

/// <summary>
/// The events of one request, in order, from its inbox on a lane: chunks, then one done or error.
/// It also ends the answer itself when something outside the generation does: a lost silo, a gap in
/// the sequence, a client too slow, the drain time, the idle safety net. A lost lane is recovered by
/// resuming the answer from its owner onto another lane; a request whose silo was lost, or whose lane
/// could not be resumed, is started once more when nothing was sent yet; the client cannot tell. How tries start,
/// resume and end is in <c>CompletionFlow.Tries.cs</c>. Disposing it stops the generation when the
/// answer did not reach its end (or, for a resumable one whose client left, detaches it).
/// </summary>
public sealed partial class CompletionFlow : IAsyncDisposable
{
    private readonly CompletionCore _core;
    private CompletionCommand _command;
    private readonly CancellationToken _aborted;
    private RequestInbox _inbox = null!;
    private StreamGuard? _guard;
    private readonly RearmedTimeout _wait = new();
    private int _expected;
    private long _lastItem;
    private bool _generationEnded;
    private KeyAdmission? _admission;

    /// <summary>True while this flow holds the lease itself: no generation took it (yet, or any more).</summary>
    private bool _holdsLease;

    /// <summary>The settings the generation gets: the client's, with the key's reservation as the output cap.</summary>
    private GenerationSettings? _settings;

    /// <summary>The client left before the start returned: it never saw the request id, so nothing is kept for a resume.</summary>
    private bool _leftBeforeStart;

    internal CompletionFlow(CompletionCore core, CompletionCommand command, long started, CancellationToken aborted)
    {
        _core = core;
        _command = command;
        Started = started;
        _aborted = aborted;
        _settings = command.Settings;
    }

    /// <summary>A request refused before admission (<paramref name="problem"/>); nothing is held or started.</summary>
    internal static CompletionFlow Refused(CompletionCore core, CompletionCommand command, long started, CancellationToken aborted, RequestProblem problem)
    {
        var flow = new CompletionFlow(core, command, started, aborted)
        {
            _admission = new KeyAdmission(command.KeyId ?? "", Guid.Empty, new LeaseDecision(LeaseOutcome.Granted), problem),
        };
        flow.Ticket = new CompletionTicket("", null, false, new CompletionError(problem.Code, problem.Detail));
        flow.Fail(flow.Ticket.Error!);
        return flow;
    }

    /// <summary>The client left after its admission, before the start: nothing is started; disposal gives the lease back.</summary>
    internal void Abandon()
    {
        Ticket = new CompletionTicket("", null, false, new CompletionError(ErrorCodes.Cancelled, "The client went away before the request started."));
        _leftBeforeStart = true;
    }

    private Guid _requestId;
    private string? _requestIdText;

    /// <summary>The current try's request id (a retried request has a new one).</summary>
    public Guid RequestId
    {
        get => _requestId;
        private set
        {
            _requestId = value;
            _requestIdText = null;
        }
    }

    /// <summary>
    /// <see cref="RequestId"/> as the <c>x-request-id</c> header and the request log's row show it:
    /// formatted once for both.
    /// </summary>
    public string RequestIdText => _requestIdText ??= _requestId.ToString();

    /// <summary>The routing decision of the current try; with an error, nothing will follow.</summary>
    public CompletionTicket Ticket { get; private set; } = null!;

    public long Started { get; }

    public double? TimeToFirstTokenMs { get; private set; }

    /// <summary>True once a done or error event was handed out.</summary>
    public bool Terminal { get; private set; }

    public string Outcome { get; private set; } = "incomplete";

    public string? ErrorCode { get; private set; }

    /// <summary>True when an item is ready, so a surface can write several before it flushes.</summary>
    public bool HasBuffered => _inbox is not null && _inbox.Reader.TryPeek(out _);

    /// <summary>The key's limits after this request was admitted or refused (for <c>x-ratelimit-*</c>); null without a key.</summary>
    public LeaseDecision? Limits => _admission?.Decision;

    /// <summary>Set when the key's limits (or a revocation) refused the request: nothing was started; answer with its problem.</summary>
    public KeyAdmission? Refusal => _admission is { Granted: false } refused ? refused : null;

    /// <summary>The next event; after a terminal one there is none. Throws when the client went away.</summary>
    public async ValueTask<FlowEvent> NextAsync()
    {
        if (Ticket.Error is { } startError) return new FlowEvent(FlowEventKind.Error, Ticket.Model, Error: startError);
        while (true)
        {
            while (_inbox.Reader.TryRead(out var item))
            {
                if (Accept(item) is { } accepted) return accepted;
            }

            try
            {
                // Ends with the client leaving, the guard ending the stream, or the keep-alive interval.
                if (await _inbox.Reader.WaitToReadAsync(_wait.Arm(_core.Options.KeepAliveInterval, _aborted, _guard!.Token))) continue;
                var failure = _inbox.Failure ?? new CompletionError(ErrorCodes.Internal, "The answer ended without a result.");
                if (failure.Code == ErrorCodes.StreamInterrupted && await RecoverAsync() is { } recovered)
                {
                    // Its lane was lost: the answer goes on from its owner on another lane, or starts again.
                    if (recovered.Error is { } recoverError) return new FlowEvent(FlowEventKind.Error, recovered.Model, Error: recoverError);
                    continue;
                }

                return Fail(failure);
            }
            catch (OperationCanceledException) when (!_aborted.IsCancellationRequested)
            {
            }

            if (_guard!.Reason is { } reason)
            {
                // Its silo was lost (or it stayed silent after a loss, when deliveries through the
                // lost gateway may hang for the response timeout): start it once more if nothing was sent.
                if (reason.Code == ErrorCodes.SiloUnavailable && CanRetry)
                {
                    await RetryAsync();
                    if (Ticket.Error is { } retryError) return new FlowEvent(FlowEventKind.Error, Ticket.Model, Error: retryError);
                    continue;
                }

                return Fail(reason);
            }

            if (Stopwatch.GetElapsedTime(_lastItem) >= _core.Options.StreamIdleTimeout)
            {
                return Fail(new CompletionError(ErrorCodes.StreamTimeout,
                    $"No answer arrived for {_core.Options.StreamIdleTimeout.TotalSeconds:0} s; the request was abandoned."));
            }

            return new FlowEvent(FlowEventKind.KeepAlive, Ticket.Model);
        }
    }

    private FlowEvent? Accept(LaneItem item)
    {
        // Sent by the answer's owner when a resume took the answer to another lane: whatever its number, it ends this reader.
        if (item.Event.Error is { Code: ErrorCodes.StreamMoved } moved) return Fail(moved, item.Event.Model);
        if (item.Sequence != _expected)
        {
            return Fail(new CompletionError(ErrorCodes.StreamInterrupted,
                $"Part of the answer was lost on the way (item {_expected} missing); please retry."));
        }

        _expected++;
        _inbox.Consumed(item);
        _lastItem = Stopwatch.GetTimestamp();
        _guard!.ItemReceived();
        var e = item.Event;
        switch (e.Kind)
        {
            case CompletionEventKind.Token:
                if (TimeToFirstTokenMs is null)
                {
                    TimeToFirstTokenMs = Stopwatch.GetElapsedTime(Started).TotalMilliseconds;
                    if (!_resumed) _core.Instruments.FirstToken(e.Model, TimeToFirstTokenMs.Value);
                }

                Tally.Relayed(e);
                return new FlowEvent(FlowEventKind.Chunk, e.Model, e.Text, Sequence: item.Sequence, Reasoning: e.Reasoning, ToolCalls: e.ToolCalls);
            case CompletionEventKind.Done:
                _generationEnded = true;
                Terminal = true;
                Outcome = "done";
                var summary = e.Summary ?? new CompletionSummary(Ticket.Category, null, null, 0);
                return new FlowEvent(FlowEventKind.Done, e.Model, Summary: summary, Sequence: item.Sequence, Cost: Priced(e.Model, summary));
            default:
                _generationEnded = true;
                Priced(e.Model, e.Summary);
                return Fail(e.Error ?? new CompletionError(ErrorCodes.Internal, "The answer failed."), e.Model) with { Sequence = item.Sequence };
        }
    }

    private FlowEvent Fail(CompletionError error, string? model = null)
    {
        // Another connection reads the answer now: it is not this reader's to stop.
        if (error.Code == ErrorCodes.StreamMoved) _generationEnded = true;
        Terminal = true;
        Outcome = "error";
        ErrorCode = error.Code;
        return new FlowEvent(FlowEventKind.Error, model ?? Ticket?.Model ?? "", Error: error);
    }

    public async ValueTask DisposeAsync()
    {
        if (Refusal is not null) return; // counted by the surface; nothing was started
        if (_aborted.IsCancellationRequested && !Terminal) Outcome = "client_disconnected";
        var elapsedMs = (long)Stopwatch.GetElapsedTime(Started).TotalMilliseconds;
        if (!_billingOnly)
        {
            _core.Instruments.RequestEnded(Ticket.Model, Outcome, ErrorCode, elapsedMs);
            WebFrontLog.RequestCompleted(_core.Logger, RequestId, _command.UserId, Ticket.Model, Ticket.Category, Ticket.CacheHit,
                TimeToFirstTokenMs, elapsedMs, ErrorCode ?? Outcome);
        }

        await EndTryAsync();
        var bill = _core.Accounting.Bill(this, _command, Tally);
        var billed = await SettleAsync(bill);

        // A billing reader whose answer a client's resume billed already leaves no row of its own.
        if (_billingOnly && !ReferenceEquals(billed, bill)) return;
        _core.Accounting.Ended(this, _command, Tally, billed, elapsedMs);
        if (Detached && !_billingOnly && (_resumedLease ?? _admission?.Lease) is not null)
        {
            DetachedBilling.Start(_core, _command.UserId, RequestId, _expected - 1);
        }
    }
}
