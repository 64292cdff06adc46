using System.Globalization;
using Router.WebFront.Completions;
using Router.WebFront.RequestLog;

namespace Router.WebFront.Spend;

/// <summary>
/// Reads the usage API's query strings. Every parameter is checked: an unknown one, a repeated one
/// or a bad value is a 400 naming it, never ignored.
/// </summary>
internal static class UsageQueryReader
{
    /// <summary>The window when <c>from</c> is not given.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    private static readonly string[] UsageParameters = ["group_by", "key_id", "user_id", "from", "to"];
    private static readonly string[] OwnUsageParameters = ["group_by", "from", "to"];
    private static readonly string[] RequestParameters = ["key_id", "user_id", "model", "outcome", "from", "to", "limit", "cursor"];

    /// <param name="narrowable">
    /// True for the admin API, which takes <c>key_id</c> and <c>user_id</c>; false for a caller's own
    /// usage, which is already narrowed to them, so those parameters are refused rather than ignored.
    /// </param>
    public static (UsageQuery? Query, RequestProblem? Problem) Usage(IQueryCollection query, bool narrowable)
    {
        if (Unknown(query, narrowable ? UsageParameters : OwnUsageParameters) is { } unknown) return (null, unknown);
        var grouping = UsageGrouping.Model;
        if (Single(query, "group_by", out var groupBy) is { } repeated) return (null, repeated);
        if (groupBy is not null && !TryGrouping(groupBy, out grouping))
        {
            return (null, RequestProblems.Invalid("invalid_group_by", "group_by must be one of model, key, user, category, day, hour."));
        }

        var narrowed = new Dictionary<string, string?>();
        foreach (var name in new[] { "key_id", "user_id" })
        {
            if (Single(query, name, out var value) is { } repeatedFilter) return (null, repeatedFilter);
            if (value is { Length: 0 }) return (null, RequestProblems.Invalid($"invalid_{name}", $"{name} must not be empty."));
            narrowed[name] = value;
        }

        var (from, to, problem) = Window(query);
        return problem is null ? (new UsageQuery(grouping, from, to, narrowed["key_id"], narrowed["user_id"]), null) : (null, problem);
    }

    public static (RequestQuery? Query, RequestProblem? Problem) Requests(IQueryCollection query)
    {
        if (Unknown(query, RequestParameters) is { } unknown) return (null, unknown);
        var values = new Dictionary<string, string?>();
        foreach (var name in new[] { "key_id", "user_id", "model", "outcome", "limit", "cursor" })
        {
            if (Single(query, name, out var value) is { } repeated) return (null, repeated);
            if (value is { Length: 0 }) return (null, RequestProblems.Invalid($"invalid_{name}", $"{name} must not be empty."));
            values[name] = value;
        }

        var limit = DefaultLimit;
        if (values["limit"] is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return (null, RequestProblems.Invalid("invalid_limit", $"limit must be a whole number from 1 to {MaxLimit}."));
        }

        RequestCursor? cursor = null;
        if (values["cursor"] is { } cursorText)
        {
            if (!RequestCursor.TryParse(cursorText, out var parsed)) return (null, RequestProblems.Invalid("invalid_cursor", "cursor must be a next_cursor this API returned."));
            cursor = parsed;
        }

        var (from, to, problem) = Window(query);
        if (problem is not null) return (null, problem);
        return (new RequestQuery(from, to, limit, values["key_id"], values["user_id"], values["model"], values["outcome"], cursor), null);
    }

    /// <summary><c>from</c> (inclusive) and <c>to</c> (exclusive): ISO 8601 times (UTC unless they say otherwise) or dates.</summary>
    private static (long From, long To, RequestProblem? Problem) Window(IQueryCollection query)
    {
        if (Single(query, "from", out var fromText) is { } repeatedFrom) return (0, 0, repeatedFrom);
        if (Single(query, "to", out var toText) is { } repeatedTo) return (0, 0, repeatedTo);
        var to = DateTimeOffset.UtcNow.AddMilliseconds(1);
        if (toText is not null && !TryTime(toText, out to)) return (0, 0, BadTime("to"));
        var from = to - DefaultWindow;
        if (fromText is not null && !TryTime(fromText, out from)) return (0, 0, BadTime("from"));
        if (from >= to) return (0, 0, RequestProblems.Invalid("invalid_window", "from must be before to."));
        return (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), null);
    }

    private static bool TryTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static RequestProblem BadTime(string name) =>
        RequestProblems.Invalid($"invalid_{name}", $"{name} must be an ISO 8601 time or date, such as 2025-05-28T14:00:00Z or 2025-05-28.");

    private static bool TryGrouping(string text, out UsageGrouping grouping)
    {
        grouping = text switch
        {
            "model" => UsageGrouping.Model,
            "key" => UsageGrouping.Key,
            "user" => UsageGrouping.User,
            "category" => UsageGrouping.Category,
            "day" => UsageGrouping.Day,
            "hour" => UsageGrouping.Hour,
            _ => (UsageGrouping)(-1),
        };
        return Enum.IsDefined(grouping);
    }

    private static RequestProblem? Single(IQueryCollection query, string name, out string? value)
    {
        value = null;
        if (!query.TryGetValue(name, out var values)) return null;
        if (values.Count > 1) return RequestProblems.Invalid($"invalid_{name}", $"{name} may be given once.");
        value = values[0];
        return null;
    }

    private static RequestProblem? Unknown(IQueryCollection query, string[] known) =>
        query.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.Ordinal)) is { } unknown
            ? RequestProblems.Invalid("unknown_parameter", $"Unknown query parameter '{unknown}'; this endpoint takes {string.Join(", ", known)}.")
            : null;
}
