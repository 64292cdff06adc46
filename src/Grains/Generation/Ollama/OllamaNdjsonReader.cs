using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using OllamaSharp.Models.Chat;

namespace Router.Grains.Generation.Ollama;

/// <summary>
/// Reads Ollama's NDJSON answer from the response body: lines are found in pooled buffers (a
/// <see cref="PipeReader"/>) and parsed with <see cref="Utf8JsonReader"/> where they lie, also when a
/// line, or a character of it, spans two reads. A text or thinking step costs its string and nothing
/// more; other lines take OllamaSharp's own response types (<see cref="OllamaLine.Whole"/>).
/// </summary>
/// <remarks>
/// A body that ends in the middle of a line leaves an incomplete object: a <see cref="JsonException"/>,
/// as when OllamaSharp read the same body. Ollama's mid-stream <c>error</c> line is read into
/// <see cref="OllamaLine.Error"/> and nothing else, as OllamaSharp's chat reading passed it on as an
/// empty update.
/// </remarks>
internal sealed class OllamaNdjsonReader(Stream body, JsonSerializerOptions wholeLines) : IAsyncDisposable
{
    // A waiting read holds its buffer, so an open stream costs one: 1 KiB holds several of Ollama's
    // lines (a text step is about 150 bytes); a longer line spans buffers.
    private readonly PipeReader _pipe = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 1024, minimumReadSize: 256));

    /// <summary>The line <see cref="ReadAsync"/> read last.</summary>
    public OllamaLine Current { get; private set; }

    /// <summary>Reads the next line; false at the end of the body.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is null && !read.IsCompleted)
            {
                // Not a whole line yet: keep it and wait for more.
                _pipe.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            var line = newline is { } end ? buffer.Slice(0, end) : buffer;
            var next = newline is { } at ? buffer.GetPosition(1, at) : buffer.End;
            if (newline is null && buffer.IsEmpty)
            {
                _pipe.AdvanceTo(next);
                return false;
            }

            bool parsed;
            try
            {
                parsed = TryParse(line, out var current);
                Current = current;
            }
            finally
            {
                _pipe.AdvanceTo(next);
            }

            if (parsed) return true;
        }
    }

    /// <summary>The line's contents; false for a blank line.</summary>
    private bool TryParse(ReadOnlySequence<byte> line, out OllamaLine parsed)
    {
        parsed = default;
        if (IsBlank(line)) return false;

        var json = new Utf8JsonReader(line, isFinalBlock: true, state: default);
        if (!json.Read() || json.TokenType != JsonTokenType.StartObject) throw new JsonException("An Ollama line is not a JSON object.");

        string? text = null, thinking = null, error = null;
        var whole = false;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            if (json.ValueTextEquals("message"u8))
            {
                json.Read();
                if (json.TokenType != JsonTokenType.StartObject)
                {
                    whole = true;
                    json.Skip();
                    continue;
                }

                while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
                {
                    if (json.ValueTextEquals("content"u8) && Read(ref json, out var content)) text = content;
                    else if (json.ValueTextEquals("thinking"u8) && Read(ref json, out var thought)) thinking = thought;
                    else if (json.ValueTextEquals("role"u8)) json.Skip();
                    else
                    {
                        // Tool calls, images or a field of a newer Ollama: OllamaSharp's reading of the whole line.
                        whole = true;
                        json.Skip();
                    }
                }
            }
            else if (json.ValueTextEquals("done"u8))
            {
                json.Read();
                whole |= json.TokenType != JsonTokenType.False;
            }
            else if (json.ValueTextEquals("error"u8))
            {
                json.Read();
                if (json.TokenType == JsonTokenType.String) error = json.GetString();
                else json.Skip();
            }
            else
            {
                json.Skip();
            }
        }

        if (!string.IsNullOrEmpty(error))
        {
            parsed = new OllamaLine(null, null, null, error);
            return true;
        }

        parsed = whole ? new OllamaLine(null, null, Whole(line)) : new OllamaLine(text, thinking, null);
        return true;
    }

    /// <summary>A string value (true), or null or another kind, skipped (false).</summary>
    private static bool Read(ref Utf8JsonReader json, out string? value)
    {
        json.Read();
        value = json.TokenType == JsonTokenType.String ? json.GetString() : null;
        json.Skip();
        return value is not null;
    }

    /// <summary>The line as OllamaSharp reads it: the final object as its own type.</summary>
    private ChatResponseStream Whole(ReadOnlySequence<byte> line)
    {
        var json = new Utf8JsonReader(line);
        var step = JsonSerializer.Deserialize<ChatResponseStream>(ref json, wholeLines) ?? throw new JsonException("An Ollama line is null.");
        if (!step.Done) return step;
        json = new Utf8JsonReader(line);
        return JsonSerializer.Deserialize<ChatDoneResponseStream>(ref json, wholeLines)!;
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            if (segment.Span.TrimStart(" \t\r"u8).Length > 0) return false;
        }

        return true;
    }

    public async ValueTask DisposeAsync() => await _pipe.CompleteAsync().ConfigureAwait(false);
}
