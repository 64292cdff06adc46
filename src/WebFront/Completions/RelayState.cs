namespace Router.WebFront.Completions;

/// <summary>What one try at a request has learnt so far: routing, timings and how it ended.</summary>
internal sealed class RelayState(Guid requestId, string userId, long started)
{
    public Guid RequestId { get; } = requestId;

    public string UserId { get; } = userId;

    public long Started { get; } = started;

    public string Model { get; set; } = "";

    public string? Category { get; set; }

    public bool CacheHit { get; set; }

    public double? TimeToFirstTokenMs { get; set; }

    public bool Terminal { get; set; }

    public string Outcome { get; set; } = "incomplete";

    public string? ErrorCode { get; private set; }

    /// <summary>Whether a lost stream may be started once more.</summary>
    public bool CanRetry { get; init; }

    /// <summary>Set when this try's stream was lost before it carried anything and another try should follow.</summary>
    public bool RetryWanted { get; set; }

    public void Fail(string code)
    {
        Terminal = true;
        Outcome = "error";
        ErrorCode = code;
    }
}
