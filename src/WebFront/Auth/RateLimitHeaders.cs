using System.Globalization;
using System.Text;
using Router.Grains.Interfaces.Keys;

namespace Router.WebFront.Auth;

/// <summary>
/// The <c>x-ratelimit-*</c> headers (OpenAI's names; resets as durations such as <c>1m30s</c>) for
/// each limit a key has, and <c>Retry-After</c> (whole seconds) on a refusal.
/// </summary>
public static class RateLimitHeaders
{
    public static void Write(HttpResponse response, LeaseDecision decision)
    {
        var headers = response.Headers;
        Write(headers, "requests", decision.Requests);
        Write(headers, "tokens", decision.Tokens);
        Write(headers, "tokens-day", decision.TokensDay);
        Write(headers, "streams", decision.Streams, withReset: false); // slots come back when streams end, not with time
        Write(headers, "spend-day", decision.SpendDay);
        Write(headers, "spend-month", decision.SpendMonth);
        if (decision.Outcome == LeaseOutcome.RateLimited)
        {
            headers.RetryAfter = RetryAfterSeconds(decision).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Whole seconds, rounded up, at least 1.</summary>
    public static int RetryAfterSeconds(LeaseDecision decision) => Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));

    private static void Write(IHeaderDictionary headers, string name, LimitStatus? status, bool withReset = true)
    {
        if (status is null) return;
        headers[$"x-ratelimit-limit-{name}"] = status.Limit.ToString(CultureInfo.InvariantCulture);
        headers[$"x-ratelimit-remaining-{name}"] = status.Remaining.ToString(CultureInfo.InvariantCulture);
        if (withReset) headers[$"x-ratelimit-reset-{name}"] = Duration(status.Reset);
    }

    private static void Write(IHeaderDictionary headers, string name, SpendStatus? status)
    {
        if (status is null) return;
        headers[$"x-ratelimit-limit-{name}"] = AdminKeyJson.Trimmed(status.Limit).ToString(CultureInfo.InvariantCulture);
        headers[$"x-ratelimit-remaining-{name}"] = AdminKeyJson.Trimmed(status.Remaining).ToString(CultureInfo.InvariantCulture);
        headers[$"x-ratelimit-reset-{name}"] = Duration(status.Reset);
    }

    /// <summary><c>0s</c>, <c>250ms</c>, <c>42s</c>, <c>1m30s</c>, <c>23h59m59s</c>.</summary>
    internal static string Duration(TimeSpan value)
    {
        if (value <= TimeSpan.Zero) return "0s";
        if (value < TimeSpan.FromSeconds(1)) return $"{Math.Ceiling(value.TotalMilliseconds):0}ms";
        var total = (long)Math.Ceiling(value.TotalSeconds);
        var text = new StringBuilder();
        if (total >= 3600) text.Append(CultureInfo.InvariantCulture, $"{total / 3600}h");
        if (total >= 60) text.Append(CultureInfo.InvariantCulture, $"{total / 60 % 60}m");
        text.Append(CultureInfo.InvariantCulture, $"{total % 60}s");
        return text.ToString();
    }
}
