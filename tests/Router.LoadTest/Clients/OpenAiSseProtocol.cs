using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Router.LoadTest.Clients;

/// <summary>
/// OpenAI's streamed chat completion: <c>data:</c> events holding <c>chat.completion.chunk</c> objects
/// (a token is a non-empty <c>choices[].delta.content</c>), a usage chunk, then <c>data: [DONE]</c>, which
/// ends the request as done; an <c>{"error":{...}}</c> object ends it as failed.
/// </summary>
internal sealed class OpenAiSseProtocol(RequestRecord record, IStreamObserver observer) : StreamProtocol(record, observer)
{
    private string? _model;
    private int _completionTokens = -1;

    public override async Task<bool> ReadAsync(Stream body, CancellationToken ct)
    {
        var parser = SseParser.Create(body, static (_, data) => data.SequenceEqual("[DONE]"u8)
            ? new Item(default, Done: true, null)
            : TryParse(data, out var e) ? new Item(e, false, null) : new Item(default, false, data.ToArray()));
        await foreach (var item in parser.EnumerateAsync(ct).ConfigureAwait(false))
        {
            var now = Stopwatch.GetTimestamp();
            if (item.Data.Malformed is { } raw)
            {
                return Malformed(raw, now);
            }

            var e = item.Data.Event;
            if (item.Data.Done)
            {
                e = new StreamEvent { Done = true, Model = _model, OutputTokens = _completionTokens, ProcessingMs = -1 };
            }
            else
            {
                _model = e.Model ?? _model;
                _completionTokens = e.OutputTokens >= 0 ? e.OutputTokens : _completionTokens;
            }

            if (Apply(e, item.EventType == "error", now)) return true;
        }

        return false;
    }

    /// <summary>The fields of one chunk the tool needs, read without allocating for a token chunk (the model name is interned).</summary>
    internal static bool TryParse(ReadOnlySpan<byte> json, out StreamEvent e)
    {
        e = new StreamEvent { OutputTokens = -1, ProcessingMs = -1 };
        try
        {
            var r = new Utf8JsonReader(json);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return false;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("choices"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.StartArray) ReadChoices(ref r, ref e);
                    else r.Skip();
                }
                else if (r.ValueTextEquals("usage"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.StartObject) ReadUsage(ref r, ref e);
                    else r.Skip();
                }
                else if (r.ValueTextEquals("model"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.String) e.Model = StreamEvent.InternModel(ref r);
                }
                else if (r.ValueTextEquals("error"u8))
                {
                    r.Read();
                    ReadError(ref r, ref e);
                }
                else
                {
                    r.Read();
                    r.Skip();
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ReadChoices(ref Utf8JsonReader r, ref StreamEvent e)
    {
        while (r.Read() && r.TokenType == JsonTokenType.StartObject)
        {
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var delta = r.ValueTextEquals("delta"u8);
                r.Read();
                if (delta && r.TokenType == JsonTokenType.StartObject)
                {
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        var content = r.ValueTextEquals("content"u8);
                        r.Read();
                        if (content && r.TokenType == JsonTokenType.String) e.HasToken |= r.ValueSpan.Length > 0;
                        else r.Skip();
                    }
                }
                else
                {
                    r.Skip();
                }
            }
        }
    }

    private static void ReadUsage(ref Utf8JsonReader r, ref StreamEvent e)
    {
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var completion = r.ValueTextEquals("completion_tokens"u8);
            r.Read();
            if (completion && r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var n)) e.OutputTokens = n;
            else r.Skip();
        }
    }

    /// <summary>OpenAI's <c>{"message","type","code"}</c>: the code (else the type) names the kind, the message is the example.</summary>
    private static void ReadError(ref Utf8JsonReader r, ref StreamEvent e)
    {
        if (r.TokenType == JsonTokenType.String)
        {
            e.Error = e.Message = r.GetString();
            return;
        }

        if (r.TokenType != JsonTokenType.StartObject)
        {
            if (r.TokenType != JsonTokenType.Null) e.Error = "unknown";
            r.Skip();
            return;
        }

        string? type = null, code = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.GetString();
            r.Read();
            if (r.TokenType != JsonTokenType.String)
            {
                r.Skip();
                continue;
            }

            switch (name)
            {
                case "message": e.Message = r.GetString(); break;
                case "type": type = r.GetString(); break;
                case "code": code = r.GetString(); break;
            }
        }

        e.Error = code ?? type ?? "unknown";
    }

    private readonly record struct Item(StreamEvent Event, bool Done, byte[]? Malformed);
}
