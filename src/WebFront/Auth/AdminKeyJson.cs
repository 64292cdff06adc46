using System.Text.Json;
using Router.Grains.Interfaces.Keys;
using Router.WebFront.Completions;

namespace Router.WebFront.Auth;

/// <summary>The admin API's bodies: reading <c>user_id</c> and <c>limits</c>, writing a key's view.</summary>
internal static class AdminKeyJson
{
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly string[] LimitNames = ["requests_per_minute", "tokens_per_minute", "tokens_per_day", "concurrent_streams", "spend_per_day", "spend_per_month"];

    /// <summary>Budgets above this are taken for a typing error.</summary>
    private const decimal MaxBudget = 1_000_000_000m;

    /// <summary>The body as a JSON object, or the problem with it.</summary>
    public static Task<(JsonElement Body, RequestProblem? Problem)> ReadAsync(HttpRequest request) =>
        JsonBodyReader.ReadAsync<JsonElement>(request, MaxBodyBytes, root => (root.Clone(), null), request.HttpContext.RequestAborted);

    /// <summary>
    /// <c>user_id</c>: 1–128 characters, not blank, no control or format characters. Format characters
    /// (bidirectional overrides, zero-width joiners and spaces) and line separators let one id look
    /// like another in the admin API, logs and the console, so they are refused.
    /// </summary>
    public static (string? UserId, RequestProblem? Problem) UserId(JsonElement body)
    {
        if (!body.TryGetProperty("user_id", out var value) || value.ValueKind != JsonValueKind.String)
        {
            return (null, Invalid("invalid_user_id", "The body needs a 'user_id' string."));
        }

        string id;
        try
        {
            id = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate (\ud800) has no text form.
            id = "\ud800";
        }
        // A lone surrogate (a JSON escape such as \ud800) is no character at all: it cannot be stored or logged as text.
        if (string.IsNullOrWhiteSpace(id) || id.Length > UserIdReader.MaxLength || id.Any(IsInvisible) || !IsWellFormed(id))
        {
            return (null, Invalid("invalid_user_id",
                $"'user_id' must be 1 to {UserIdReader.MaxLength} characters, without control, format (such as bidirectional) or line separator characters."));
        }

        return (id, null);
    }

    /// <summary>
    /// <paramref name="current"/> changed by the body's <c>limits</c> object, as a merge patch: a
    /// number sets a limit, <c>null</c> removes it, an absent field keeps it.
    /// </summary>
    public static (KeyLimits? Limits, RequestProblem? Problem) Limits(JsonElement body, KeyLimits current)
    {
        if (!body.TryGetProperty("limits", out var limits) || limits.ValueKind == JsonValueKind.Null) return (current, null);
        if (limits.ValueKind != JsonValueKind.Object) return (null, Invalid("invalid_limits", "'limits' must be an object."));
        var result = current;
        foreach (var field in limits.EnumerateObject())
        {
            if (!LimitNames.Contains(field.Name))
            {
                return (null, Invalid("invalid_limits", $"Unknown limit '{field.Name}'; known: {string.Join(", ", LimitNames)}."));
            }

            if (field.Name.StartsWith("spend_", StringComparison.Ordinal))
            {
                var (budget, problem) = Budget(field);
                if (problem is not null) return (null, problem);
                result = field.Name == "spend_per_day" ? result with { SpendPerDay = budget } : result with { SpendPerMonth = budget };
                continue;
            }

            long? value = null;
            if (field.Value.ValueKind != JsonValueKind.Null)
            {
                if (field.Value.ValueKind != JsonValueKind.Number || !field.Value.TryGetInt64(out var n) || n < 1 || n > int.MaxValue)
                {
                    return (null, Invalid("invalid_limits", $"'{field.Name}' must be a whole number from 1 to {int.MaxValue}, or null for no limit."));
                }

                value = n;
            }

            result = field.Name switch
            {
                "requests_per_minute" => result with { RequestsPerMinute = (int?)value },
                "tokens_per_minute" => result with { TokensPerMinute = value },
                "tokens_per_day" => result with { TokensPerDay = value },
                _ => result with { ConcurrentStreams = (int?)value },
            };
        }

        return (result, null);
    }

    /// <summary>A spend budget: a JSON number from 0 (nothing may be spent) up, in the pricing currency, or null for none.</summary>
    private static (decimal? Budget, RequestProblem? Problem) Budget(JsonProperty field)
    {
        if (field.Value.ValueKind == JsonValueKind.Null) return (null, null);
        if (field.Value.ValueKind != JsonValueKind.Number || !field.Value.TryGetDecimal(out var budget) || budget < 0m || budget > MaxBudget)
        {
            return (null, Invalid("invalid_limits",
                $"'{field.Name}' must be a number from 0 to {MaxBudget} in the pricing currency (such as 5 or 0.25), or null for no budget."));
        }

        return (budget, null);
    }

    /// <summary>A key as the admin API shows it: no secret, no hash.</summary>
    public static object View(ApiKeyDetails key) => new
    {
        id = key.Id,
        user_id = key.UserId,
        limits = new
        {
            requests_per_minute = key.Limits.RequestsPerMinute,
            tokens_per_minute = key.Limits.TokensPerMinute,
            tokens_per_day = key.Limits.TokensPerDay,
            concurrent_streams = key.Limits.ConcurrentStreams,
            spend_per_day = key.Limits.SpendPerDay,
            spend_per_month = key.Limits.SpendPerMonth,
        },
        created_at = key.CreatedAt.UtcDateTime,
        revoked = key.RevokedAt is not null,
        revoked_at = key.RevokedAt?.UtcDateTime,
        usage = new
        {
            requests_last_minute = key.Usage.RequestsLastMinute,
            tokens_last_minute = key.Usage.TokensLastMinute,
            tokens_today = key.Usage.TokensToday,
            open_streams = key.Usage.OpenStreams,
            spend_today = Trimmed(key.Usage.SpendToday),
            spend_this_month = Trimmed(key.Usage.SpendThisMonth),
            spend_reserved = Trimmed(key.Usage.SpendReserved),
        },
    };

    /// <summary>The same amount without trailing zeros (a sum of holds can carry the scale of its prices: 0.0000).</summary>
    internal static decimal Trimmed(decimal value) => value / 1.0000000000000000000000000000m;

    /// <summary>True when every surrogate is one half of a pair.</summary>
    internal static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return false;
        }

        return true;
    }

    private static bool IsInvisible(char c) => char.IsControl(c) || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c)
        is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator
        or System.Globalization.UnicodeCategory.ParagraphSeparator;

    private static RequestProblem Invalid(string code, string detail) => new(StatusCodes.Status400BadRequest, code, "Invalid request", detail);
}
