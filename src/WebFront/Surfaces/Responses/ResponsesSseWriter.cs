using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>
/// Frames the Responses API's streaming events: <c>event: &lt;type&gt;</c> and a <c>data:</c> object
/// that repeats the type and carries the event's <c>sequence_number</c>, counted from 0.
/// </summary>
internal sealed class ResponsesSseWriter(PipeWriter pipe) : IDisposable
{
    private readonly Utf8JsonWriter _json = new(pipe, ResponseObjectWriter.Options with { SkipValidation = true });
    private int _sequence;

    /// <summary>Starts an event; write its fields into the returned writer, then <see cref="End"/>.</summary>
    public Utf8JsonWriter Begin(string type)
    {
        pipe.Write("event: "u8);
        pipe.Write(Encoding.ASCII.GetBytes(type));
        pipe.Write("\ndata: "u8);
        _json.Reset(pipe);
        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
        _json.WriteNumber("sequence_number"u8, _sequence++);
        return _json;
    }

    public void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        pipe.Write("\n\n"u8);
    }

    /// <summary>An event whose payload is the whole response object (<c>response.created</c>, <c>response.completed</c>, …).</summary>
    public void WriteResponse(string type, ResponseDraft draft)
    {
        var json = Begin(type);
        json.WritePropertyName("response"u8);
        ResponseObjectWriter.Write(json, draft);
        End();
    }

    public void WriteKeepAlive() => pipe.Write(": keep-alive\n\n"u8);

    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => pipe.FlushAsync(cancellationToken);

    public void Dispose() => _json.Dispose();
}
