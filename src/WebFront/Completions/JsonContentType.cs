namespace Router.WebFront.Completions;

/// <summary>
/// The content types a JSON body may carry. A browser can send <c>text/plain</c>, form and multipart
/// bodies to any site without asking it first (no CORS preflight), so refusing them keeps web pages
/// from driving the router with a user's browser.
/// </summary>
public static class JsonContentType
{
    /// <summary><c>application/json</c> or <c>application/*+json</c>, any parameters.</summary>
    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0) mediaType = mediaType[..semicolon];
        mediaType = mediaType.Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// JSON, or no content type at all: some HTTP tools send none, and a browser that sends none on a
    /// cross-site request also sends an <c>Origin</c>, which <c>RequestOriginGuard</c> refuses.
    /// </summary>
    public static bool IsJsonOrAbsent(string? contentType) => string.IsNullOrEmpty(contentType) || IsJson(contentType);
}
