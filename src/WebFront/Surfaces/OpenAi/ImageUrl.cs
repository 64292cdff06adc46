using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>
/// An <c>image_url</c>'s address: a base64 data URL becomes the image's bytes and media type; an
/// http(s) address is carried as it is, for backends that fetch it (the router fetches nothing).
/// </summary>
internal static class ImageUrl
{
    public static MessagePart Read(string url, string param)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = url.IndexOf(',');
            var header = comma < 0 ? "" : url[5..comma];
            if (comma < 0 || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                throw ChatJson.Refuse(OpenAiError.InvalidValue(param, "An image data URL must be base64: data:image/png;base64,…"));
            }

            var mediaType = header[..^";base64".Length];
            if (!mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || mediaType.Contains(';'))
            {
                throw ChatJson.Refuse(OpenAiError.InvalidValue(param, $"An image data URL needs an image media type, not '{mediaType}'."));
            }

            var data = url.AsSpan(comma + 1);
            var bytes = new byte[data.Length / 4 * 3 + 3];
            if (!Convert.TryFromBase64Chars(data, bytes, out var written) || written == 0)
            {
                throw ChatJson.Refuse(OpenAiError.InvalidValue(param, "The image data URL's base64 is not valid."));
            }

            return new MessagePart(PartKind.Image, MediaType: mediaType.ToLowerInvariant(), Data: bytes[..written]);
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return new MessagePart(PartKind.Image, Uri: url);
        }

        throw ChatJson.Refuse(OpenAiError.InvalidValue(param, "An image URL must be a base64 data URL or an http(s) address."));
    }
}
