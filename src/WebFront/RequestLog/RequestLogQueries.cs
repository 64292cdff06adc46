namespace Router.WebFront.RequestLog;

/// <summary>What usage is summed by (<c>group_by</c>).</summary>
public enum UsageGrouping
{
    Model,
    Key,
    User,
    Category,
    Day,
    Hour,
}

/// <summary>A usage summary's window and grouping; <see cref="KeyId"/> or <see cref="UserId"/> narrow it to one caller.</summary>
/// <param name="FromMs">Inclusive, Unix milliseconds.</param>
/// <param name="ToMs">Exclusive, Unix milliseconds.</param>
public sealed record UsageQuery(UsageGrouping GroupBy, long FromMs, long ToMs, string? KeyId = null, string? UserId = null);

/// <summary>A page of the log, newest first, after <see cref="Cursor"/>.</summary>
public sealed record RequestQuery(
    long FromMs, long ToMs, int Limit, string? KeyId = null, string? UserId = null, string? Model = null, string? Outcome = null, RequestCursor? Cursor = null);

/// <summary>Where a page ended: the last row's time and id (rows are ordered by both, newest first).</summary>
public readonly record struct RequestCursor(long TimeMs, long Id)
{
    public override string ToString() => $"{TimeMs}.{Id}";

    public static bool TryParse(string text, out RequestCursor cursor)
    {
        cursor = default;
        var dot = text.IndexOf('.');
        if (dot <= 0 || !long.TryParse(text.AsSpan(0, dot), System.Globalization.NumberStyles.None, null, out var time)
            || !long.TryParse(text.AsSpan(dot + 1), System.Globalization.NumberStyles.None, null, out var id)) return false;
        cursor = new RequestCursor(time, id);
        return true;
    }
}

/// <summary>One group of a usage summary.</summary>
/// <param name="Group">The model, key, user or category (null where the rows had none), or the UTC day or hour.</param>
/// <param name="Errors">Requests that ended with an error code (failed or refused).</param>
public sealed record UsageGroup(
    string? Group, long Requests, long PromptTokens, long OutputTokens, decimal Cost, long Errors, double? TtftP50Ms, double? TtftP95Ms);

/// <summary>A row as read back, with its id in the log.</summary>
public sealed record StoredRequest(long Id, RequestLogRow Row);
