using System.Globalization;
using Microsoft.Extensions.Options;
using Router.WebFront.Completions;

namespace Router.WebFront.Auth;

/// <summary>
/// Failed authentications, per client address: each one takes a token of the address's bucket
/// (<c>Auth:FailedAuthBurst</c>, <c>Auth:FailedAuthPerMinute</c>); an address without tokens gets
/// 429 with <c>Retry-After</c> before its key is even looked at. Decided over a delayed 401: a delay
/// holds a connection and a request slot per guess, a 429 costs nothing and tells an honest client
/// to wait. Every failure is also reported to the (throttled) Warning log.
/// </summary>
public sealed partial class AuthFailures : IDisposable
{
    public const string ThrottledCode = "auth_throttled";

    private readonly AddressThrottle _throttle;
    private readonly ILogger<AuthFailures> _logger;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _logInterval;
    private long _unreported;
    private long _lastReport = long.MinValue;

    public AuthFailures(IOptions<AuthOptions> options, ILogger<AuthFailures> logger, TimeProvider? clock = null)
    {
        var o = options.Value;
        _throttle = new AddressThrottle(o.FailedAuthBurst, o.FailedAuthPerMinute);
        _logger = logger;
        _clock = clock ?? TimeProvider.System;
        _logInterval = o.FailureLogInterval;
    }

    /// <summary>
    /// The 429 for a client address that spent its failed authentications (with <c>Retry-After</c>
    /// set on the response), or null when it may try.
    /// </summary>
    public RequestProblem? Throttled(HttpContext context)
    {
        if (!_throttle.IsExhausted(ClientAddress.Of(context))) return null;
        var seconds = _throttle.RetryAfterSeconds;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return new RequestProblem(StatusCodes.Status429TooManyRequests, ThrottledCode, "Too many requests",
            $"Too many failed authentications from this address; retry after {seconds} s.");
    }

    /// <summary>Counts a failed authentication against the client's address, and reports it.</summary>
    public void Record(HttpContext context, string reason)
    {
        var address = ClientAddress.Of(context);
        _throttle.TryTake(address);
        Report(address, reason);
    }

    /// <summary>
    /// One Warning line per <c>Auth:FailureLogInterval</c> at most, counting the failures since the
    /// previous line, so a flood of guesses is visible without flooding the log itself.
    /// </summary>
    private void Report(string address, string reason)
    {
        Interlocked.Increment(ref _unreported);
        var now = _clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastReport);
        if (last != long.MinValue && _clock.GetElapsedTime(last, now) < _logInterval) return;
        if (Interlocked.CompareExchange(ref _lastReport, now, last) != last) return;
        LogFailures(_logger, Interlocked.Exchange(ref _unreported, 0), address, reason);
    }

    public void Dispose() => _throttle.Dispose();

    [LoggerMessage(2710, LogLevel.Warning,
        "Failed authentications: {Count} since the previous report; the latest from {ClientAddress}: {Reason}")]
    private static partial void LogFailures(ILogger logger, long count, string clientAddress, string reason);
}
