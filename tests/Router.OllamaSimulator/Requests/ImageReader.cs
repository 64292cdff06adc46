using System.Security.Cryptography;

namespace Router.OllamaSimulator.Requests;

/// <summary>Decodes and measures images: Ollama's base64 strings and OpenAI's data URLs. Remote URLs are recorded, never fetched.</summary>
internal static class ImageReader
{
    public static SimulatedImage FromBase64(string base64, string path)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new BadRequestException($"illegal base64 data in {path}");
        }

        return Measure(bytes, Sniff(bytes));
    }

    public static SimulatedImage FromUrl(string url, string? detail, string path)
    {
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return new SimulatedImage(string.Empty, 0, null, url, detail);
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            throw new BadRequestException($"{path}.image_url.url is not a valid data URL");
        }

        var header = url[5..comma];
        var data = url[(comma + 1)..];
        var isBase64 = header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase);
        var mediaType = (isBase64 ? header[..^";base64".Length] : header).Split(';')[0];
        byte[] bytes;
        try
        {
            bytes = isBase64 ? Convert.FromBase64String(data) : System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(data));
        }
        catch (FormatException)
        {
            throw new BadRequestException($"{path}.image_url.url holds invalid base64 data");
        }

        return Measure(bytes, mediaType.Length > 0 ? mediaType : Sniff(bytes)) with { Detail = detail };
    }

    private static SimulatedImage Measure(byte[] bytes, string mediaType) =>
        new(mediaType, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));

    private static string Sniff(ReadOnlySpan<byte> b) =>
        b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]) ? "image/png"
        : b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : b.StartsWith("GIF8"u8) ? "image/gif"
        : b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : "application/octet-stream";
}
