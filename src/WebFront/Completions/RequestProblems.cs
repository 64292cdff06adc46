namespace Router.WebFront.Completions;

/// <summary>The problems a request can have before its stream starts, one place for their codes and wording.</summary>
internal static class RequestProblems
{
    public static RequestProblem Invalid(string code, string detail) => new(StatusCodes.Status400BadRequest, code, "Invalid request", detail);

    public static RequestProblem UnsupportedMediaType() => new(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
        "Unsupported media type", "The body must be JSON (Content-Type: application/json).");

    public static RequestProblem BodyTooLarge(int max) =>
        new(StatusCodes.Status413PayloadTooLarge, "body_too_large", "Body too large", $"The request body is larger than {max} bytes.");

    /// <summary>The body did not arrive within <paramref name="timeout"/>, or (null) arrived slower than the server's minimum rate.</summary>
    public static RequestProblem BodyTimeout(TimeSpan? timeout) => new(StatusCodes.Status408RequestTimeout, "body_timeout", "Request timeout",
        timeout is { } t ? $"The request body did not arrive within {t.TotalSeconds:0.#} s." : "The request body arrived too slowly.");

    public static RequestProblem BodyUnreadable() =>
        Invalid("body_unreadable", "The request body could not be read (its framing is broken).");
}
