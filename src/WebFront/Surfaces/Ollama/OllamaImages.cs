using System.Buffers.Text;
using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>
/// Ollama's <c>images</c>: base64 strings of the image files. The router carries bytes with a media
/// type, so each image must be one of the formats every vision backend reads (PNG, JPEG, GIF, WebP),
/// recognised by its first bytes as Ollama itself does.
/// </summary>
internal static class OllamaImages
{
    /// <summary>Appends an image part per entry of <paramref name="images"/> (a JSON array or null); <paramref name="field"/> names it in errors.</summary>
    public static RequestProblem? Read(JsonElement images, string field, List<MessagePart> parts)
    {
        if (images.ValueKind == JsonValueKind.Null) return null;
        if (images.ValueKind != JsonValueKind.Array)
        {
            return OllamaRequestReader.Invalid("invalid_images", $"'{field}' must be an array of base64-encoded images.");
        }

        var i = 0;
        foreach (var image in images.EnumerateArray())
        {
            var name = $"{field}[{i++}]";
            if (image.ValueKind != JsonValueKind.String || !TryDecode(image.GetString()!, out var bytes))
            {
                return OllamaRequestReader.Invalid("invalid_image", $"'{name}' is not a base64-encoded image.");
            }

            if (MediaTypeOf(bytes) is not { } mediaType)
            {
                return OllamaRequestReader.Invalid("unsupported_image", $"'{name}' is not a PNG, JPEG, GIF or WebP image.");
            }

            parts.Add(new MessagePart(PartKind.Image, MediaType: mediaType, Data: bytes));
        }

        return null;
    }

    /// <summary>The media type the first bytes announce, or null for anything else.</summary>
    public static string? MediaTypeOf(ReadOnlySpan<byte> data) => data switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => "image/gif",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        _ => null,
    };

    private static bool TryDecode(string base64, out byte[] bytes)
    {
        bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written == 0) return false;
        bytes = bytes[..written];
        return true;
    }
}
