namespace Router.WebFront.Completions;

/// <summary>Reads the user id from the <c>X-User-Id</c> header.</summary>
public static class UserIdReader
{
    public const string HeaderName = "X-User-Id";
    public const string Anonymous = "anonymous";
    public const int MaxLength = 128;

    /// <summary>The user id, or the problem with the header.</summary>
    public static (string? UserId, RequestProblem? Problem) Read(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(HeaderName, out var values))
        {
            return (Anonymous, null);
        }

        if (values.Count != 1)
        {
            return (null, Invalid("The X-User-Id header must appear once."));
        }

        var id = values[0];
        if (string.IsNullOrWhiteSpace(id))
        {
            return (null, Invalid("The X-User-Id header is empty."));
        }

        if (id.Length > MaxLength)
        {
            return (null, Invalid($"The X-User-Id header is longer than {MaxLength} characters."));
        }

        // User ids become grain keys and log fields; ASCII keeps them unambiguous (no look-alike
        // letters, no normalisation forms) and the same in every proxy's header handling.
        if (!System.Text.Ascii.IsValid(id))
        {
            return (null, Invalid("The X-User-Id header must be ASCII."));
        }

        if (id.Any(char.IsControl))
        {
            return (null, Invalid("The X-User-Id header contains control characters."));
        }

        return (id, null);
    }

    private static RequestProblem Invalid(string detail) => new(StatusCodes.Status400BadRequest, "invalid_user_id", "Invalid user id", detail);
}
