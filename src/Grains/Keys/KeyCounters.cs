using Router.Grains.Interfaces.Keys;

namespace Router.Grains.Keys;

/// <summary>
/// The live counters of one key. Requests and tokens per minute use a sliding 60-second log (every
/// admitted request's time and tokens), so no 60-second span ever admits more than the limit, with
/// no burst at a window edge; tokens per day use the fixed UTC calendar day. Open streams are the
/// granted leases not yet released (or expired).
/// </summary>
internal sealed class KeyCounters
{
    internal static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly LinkedList<Entry> _log = new();
    private readonly Dictionary<Guid, Lease> _leases = [];
    private long _logTokens;
    private DateOnly _day;
    private long _tokensToday;

    public LeaseDecision TryAcquire(KeyLimits limits, LeaseRequest request, DateTimeOffset now)
    {
        Prune(now);
        if (_leases.TryGetValue(request.LeaseId, out var held)) return Status(LeaseOutcome.Granted, limits, now) with { Reserved = held.Reserved };

        // A request's output cap is cut to fit an empty window; its prompt cannot be cut: a prompt
        // beyond a limit is refused outright, since no wait would ever admit it.
        var least = Math.Max(0, request.MinTokens);
        if (limits.TokensPerMinute is { } tpmLeast && least > tpmLeast || limits.TokensPerDay is { } tpdLeast && least > tpdLeast)
            return Status(LeaseOutcome.RateLimited, limits, now, "tokens_request", TimeSpan.Zero);
        var reserve = Math.Max(least, request.Tokens);
        if (limits.TokensPerMinute is { } tpm) reserve = Math.Min(reserve, tpm);
        if (limits.TokensPerDay is { } tpd) reserve = Math.Min(reserve, tpd);

        if (limits.ConcurrentStreams is { } streams && _leases.Count >= streams)
            return Status(LeaseOutcome.RateLimited, limits, now, "streams", TimeSpan.FromSeconds(1));
        if (limits.RequestsPerMinute is { } rpm && _log.Count >= rpm)
            return Status(LeaseOutcome.RateLimited, limits, now, "requests", SlotFreesIn(_log.Count - rpm + 1, now));
        if (limits.TokensPerMinute is { } tokens && _logTokens + reserve > tokens)
            return Status(LeaseOutcome.RateLimited, limits, now, "tokens", TokensFreeIn(_logTokens + reserve - tokens, now));
        if (limits.TokensPerDay is { } day && _tokensToday + reserve > day)
            return Status(LeaseOutcome.RateLimited, limits, now, "tokens_day", UntilTomorrow(now));

        var entry = _log.AddLast(new Entry(now, reserve));
        _logTokens += reserve;
        _tokensToday += reserve;
        _leases[request.LeaseId] = new Lease(entry, _day, reserve, now + request.MaxDuration);
        return Status(LeaseOutcome.Granted, limits, now) with { Reserved = reserve };
    }

    /// <summary>A refusal by another limit (a spend budget), with the state of these ones.</summary>
    public LeaseDecision Refused(KeyLimits limits, DateTimeOffset now, string exceeded, TimeSpan retryAfter)
    {
        Prune(now);
        return Status(LeaseOutcome.RateLimited, limits, now, exceeded, retryAfter);
    }

    /// <summary>Frees the lease's stream slot and replaces its reservation with what it used.</summary>
    public void Release(LeaseRelease release, DateTimeOffset now)
    {
        Prune(now);
        if (!_leases.Remove(release.LeaseId, out var lease) || release.Tokens is not { } used) return;
        var delta = Math.Max(0, used) - lease.Reserved;
        if (lease.Entry.List is not null)
        {
            // Still inside the minute: the log holds the real count from now on.
            lease.Entry.Value.Tokens += delta;
            _logTokens += delta;
        }

        if (lease.Day == _day) _tokensToday = Math.Max(0, _tokensToday + delta);
    }

    /// <summary>The UTC day and its token count, to be saved.</summary>
    public (DateOnly Day, long Tokens) Today(DateTimeOffset now)
    {
        Prune(now);
        return (_day, _tokensToday);
    }

    /// <summary>Takes back a saved day count (ignored if that day is over).</summary>
    public void RestoreToday(DateOnly day, long tokens, DateTimeOffset now)
    {
        Prune(now);
        if (day == _day) _tokensToday = Math.Max(_tokensToday, tokens);
    }

    public KeyUsage Usage(DateTimeOffset now)
    {
        Prune(now);
        return new KeyUsage(_log.Count, _logTokens, _tokensToday, _leases.Count);
    }

    private void Prune(DateTimeOffset now)
    {
        while (_log.First is { } first && first.Value.At <= now - Minute)
        {
            _logTokens -= first.Value.Tokens;
            _log.RemoveFirst();
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (today != _day)
        {
            _day = today;
            _tokensToday = 0;
        }

        if (_leases.Count == 0) return;
        List<Guid>? expired = null;
        foreach (var (id, lease) in _leases)
        {
            if (lease.Expires <= now) (expired ??= []).Add(id);
        }

        expired?.ForEach(id => _leases.Remove(id));
    }

    /// <summary>When the <paramref name="count"/>-th oldest entry leaves the window.</summary>
    private TimeSpan SlotFreesIn(int count, DateTimeOffset now)
    {
        var node = _log.First;
        for (var i = 1; i < count && node?.Next is not null; i++) node = node.Next;
        return node is null ? TimeSpan.Zero : node.Value.At + Minute - now;
    }

    /// <summary>When enough old entries have left the window to free <paramref name="needed"/> tokens.</summary>
    private TimeSpan TokensFreeIn(long needed, DateTimeOffset now)
    {
        var freed = 0L;
        for (var node = _log.First; node is not null; node = node.Next)
        {
            freed += node.Value.Tokens;
            if (freed >= needed) return node.Value.At + Minute - now;
        }

        return Minute;
    }

    private static TimeSpan UntilTomorrow(DateTimeOffset now) =>
        new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).AddDays(1), TimeOnly.MinValue, TimeSpan.Zero) - now;

    private LeaseDecision Status(LeaseOutcome outcome, KeyLimits limits, DateTimeOffset now, string? exceeded = null, TimeSpan retryAfter = default)
    {
        var untilEmpty = _log.Last is { } last ? last.Value.At + Minute - now : TimeSpan.Zero;
        return new LeaseDecision(
            outcome,
            exceeded,
            retryAfter,
            limits.RequestsPerMinute is { } rpm ? new LimitStatus(rpm, Math.Max(0, rpm - _log.Count), untilEmpty) : null,
            limits.TokensPerMinute is { } tpm ? new LimitStatus(tpm, Math.Max(0, tpm - _logTokens), untilEmpty) : null,
            limits.TokensPerDay is { } tpd ? new LimitStatus(tpd, Math.Max(0, tpd - _tokensToday), UntilTomorrow(now)) : null,
            limits.ConcurrentStreams is { } s ? new LimitStatus(s, Math.Max(0, s - _leases.Count), TimeSpan.Zero) : null);
    }

    private sealed class Entry(DateTimeOffset at, long tokens)
    {
        public DateTimeOffset At { get; } = at;

        public long Tokens { get; set; } = tokens;
    }

    private readonly record struct Lease(LinkedListNode<Entry> Entry, DateOnly Day, long Reserved, DateTimeOffset Expires);
}
