using System.Text.Json;
using Router.Grains.Interfaces;
using static Router.WebFront.Surfaces.Responses.JsonFields;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>An <c>input_image</c> part: a data URL becomes bytes; an http(s) URL is passed on as an address (the router fetches nothing).</summary>
internal static class InputImages
{
    public static MessagePart Read(JsonElement part, string path)
    {
        if (String(part, "file_id", path + ".file_id") is not null) throw Unsupported(path + ".file_id", "uploaded files (send the image as a data URL).");
        var detail = String(part, "detail", path + ".detail");
        if (detail is not null and not ("auto" or "low" or "high")) throw Invalid(path + ".detail", $"'{path}.detail' must be auto, low or high.");
        var url = RequiredString(part, "image_url", path + ".image_url");
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return FromDataUrl(url, path + ".image_url");
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return new MessagePart(PartKind.Image, Uri: url);
        }

        throw Invalid(path + ".image_url", $"'{path}.image_url' must be a data URL or an http(s) URL.");
    }

    private static MessagePart FromDataUrl(string url, string path)
    {
        var comma = url.IndexOf(',');
        var header = comma < 0 ? "" : url[5..comma];
        if (comma < 0 || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(path, $"'{path}' must be a base64 data URL (data:<media type>;base64,<data>).");
        }

        var mediaType = header[..^";base64".Length];
        if (!mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)) throw Invalid(path, $"'{path}' must hold an image (its media type is '{mediaType}').");
        try
        {
            return new MessagePart(PartKind.Image, MediaType: mediaType.ToLowerInvariant(), Data: Convert.FromBase64String(url[(comma + 1)..]));
        }
        catch (FormatException)
        {
            throw Invalid(path, $"'{path}' has invalid base64 data.");
        }
    }
}
