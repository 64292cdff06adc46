using Router.Grains.Interfaces;
using Router.WebFront.Auth;
using Router.WebFront.Completions;

namespace Router.WebFront.Sessions;

/// <summary>
/// Deleting a user's conversation (the turns <c>/complete</c> keeps): by an administrator,
/// <c>DELETE /admin/users/{userId}/history</c> under the admin key, or by the user, <c>DELETE /v1/history</c>
/// with their own API key (in Open mode, the user <c>X-User-Id</c> names). Both answer 204 once the
/// store has forgotten it; the session's counters stay.
/// </summary>
public static class HistoryEndpoints
{
    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/admin/users").AddEndpointFilter<AdminKeyFilter>()
            .MapDelete("/{userId}/history", AdminDeleteAsync).WithName("DeleteUserHistory")
            .WithSummary("Deletes a user's conversation history (admin key).");
        app.MapDelete("/v1/history", DeleteOwnAsync).WithName("DeleteHistory")
            .WithSummary("Deletes the caller's own conversation history.");
        return app;
    }

    private static async Task<IResult> AdminDeleteAsync(string userId, HttpContext context, IClusterClient cluster, AdminAudit audit)
    {
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > UserIdReader.MaxLength || userId.Any(IsInvisible) || !AdminKeyJson.IsWellFormed(userId))
        {
            return RequestProblems.Invalid("invalid_user_id",
                $"The user id must be 1 to {UserIdReader.MaxLength} characters, without control or format characters.").ToResult();
        }

        await cluster.GetGrain<IUserSessionGrain>(userId).ClearHistoryAsync(context.RequestAborted);
        audit.Changed(context, "-", $"history of user {userId} deleted");
        return TypedResults.NoContent();
    }

    private static async Task<IResult> DeleteOwnAsync(HttpContext context, IClusterClient cluster, RequestIdentity identity)
    {
        var (userId, keyId, problem) = await identity.ResolveAsync(context.Request);
        if (problem is not null || userId is null) return (problem ?? RequestProblems.Invalid("invalid_user_id", "No user.")).ToResult();

        // An anonymous caller keeps no history: there is nothing to delete, and no one else's to reach.
        if (keyId is not null || userId != UserIdReader.Anonymous)
        {
            await cluster.GetGrain<IUserSessionGrain>(userId).ClearHistoryAsync(context.RequestAborted);
        }

        return TypedResults.NoContent();
    }

    private static bool IsInvisible(char c) => char.IsControl(c) || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c)
        is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator;
}
