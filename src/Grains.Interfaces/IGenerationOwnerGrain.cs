namespace Router.Grains.Interfaces;

/// <summary>
/// The generations running on one silo, keyed by that silo's address
/// (<see cref="Orleans.Runtime.SiloAddress.ToParsableString"/>) and always activated on that silo.
/// A generation belongs to the silo that runs it, not to the session that started it, so a
/// cancellation reaches it wherever the user's session grain has moved since. The silo also keeps
/// each answer's items (a byte-bounded replay log, in memory) for its resume window, so a client
/// that lost its connection, or a web front that lost a lane, can pick the answer up again.
/// </summary>
public interface IGenerationOwnerGrain : IGrainWithStringKey
{
    /// <summary>Stops a running generation (its client went away); the backend request is aborted. Unknown ids are ignored.</summary>
    ValueTask CancelAsync(Guid requestId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops the generation of <paramref name="requestId"/> if it runs here, and refuses any start of
    /// that id that reaches this silo later (a start call whose answer was lost may still be on its
    /// way). True when it was running here: it then settles its key lease itself, as it ends.
    /// </summary>
    ValueTask<bool> ForbidAsync(Guid requestId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The client on lane <paramref name="laneKey"/> went away from a resumable answer: its items are
    /// kept but published nowhere, and the generation goes on for <paramref name="grace"/>; if nobody
    /// resumes it by then it is stopped as by <see cref="CancelAsync"/>. Ignored for unknown ids, and
    /// when the answer has moved to another lane since (it was resumed elsewhere).
    /// </summary>
    ValueTask DetachAsync(Guid requestId, string laneKey, TimeSpan grace, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes the items of <see cref="ResumeRequest.RequestId"/> after <see cref="ResumeRequest.AfterSequence"/>
    /// onto <see cref="ResumeRequest.ReplyLane"/>, and the live rest after them, in one ordered
    /// sequence (the lane must already be subscribed). Null when this silo has no such answer for
    /// that user: unknown, another user's, expired, or its log outgrew its bound.
    /// </summary>
    ValueTask<ResumeTicket?> ResumeAsync(ResumeRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Where to continue an answer, and for whom.</summary>
/// <param name="AfterSequence">The last sequence number the client has (-1: none); later items follow.</param>
/// <param name="FinishedOnly">
/// Only an answer that already ended is resumed: a running one is left to whoever reads it (the web
/// front that bills a detached answer nobody resumed must not take it from a client that did).
/// </param>
[GenerateSerializer, Immutable, Alias("router.resume-request.v1")]
public sealed record ResumeRequest(
    [property: Id(0)] Guid RequestId,
    [property: Id(1)] string UserId,
    [property: Id(2)] int AfterSequence,
    [property: Id(3)] string ReplyLane,
    [property: Id(4)] bool FinishedOnly = false);

/// <summary>The routing decision of a resumed answer, for its response headers.</summary>
/// <param name="Finished">True when the answer already ended: everything follows from the log.</param>
/// <param name="Lease">The key lease the answer runs under (null without a key): the resuming web front bills it and names its key.</param>
[GenerateSerializer, Immutable, Alias("router.resume-ticket.v1")]
public sealed record ResumeTicket(
    [property: Id(0)] string Model,
    [property: Id(1)] string? Category,
    [property: Id(2)] double? Confidence,
    [property: Id(3)] bool Finished,
    [property: Id(4)] Keys.KeyLease? Lease = null);
