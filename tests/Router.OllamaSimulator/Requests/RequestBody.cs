using System.Text;
using System.Text.Json;

namespace Router.OllamaSimulator.Requests;

/// <summary>A request body read whole: parsed once, and kept as text for the journal.</summary>
internal sealed class RequestBody : IDisposable
{
    private readonly JsonDocument _document;

    private RequestBody(JsonDocument document, string raw)
    {
        _document = document;
        Raw = raw;
    }

    public JsonElement Root => _document.RootElement;

    public string Raw { get; }

    /// <summary>Reads and parses the body; malformed JSON or a body that is not an object is a <see cref="BadRequestException"/>.</summary>
    public static async Task<RequestBody> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new BadRequestException(ex.Message);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new BadRequestException("the request body must be a JSON object");
        }

        return new RequestBody(document, Encoding.UTF8.GetString(bytes.Span));
    }

    public void Dispose() => _document.Dispose();
}
