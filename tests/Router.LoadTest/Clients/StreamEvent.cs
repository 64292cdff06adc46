using System.Text.Json;

namespace Router.LoadTest.Clients;

/// <summary>The fields of one stream item the tool cares about, common to the router's SSE data and Ollama's NDJSON.</summary>
internal struct StreamEvent
{
    public bool HasToken;
    public bool Done;
    public string? Error;
    public string? Message;
    public string? Model;
    public int OutputTokens;
    public double ProcessingMs;

    /// <summary>
    /// Reads one JSON object without allocating for token chunks: only error text and the terminal
    /// event's model become strings. Router shape: <c>"message":"chunk"</c>, <c>output_tokens</c>,
    /// <c>processing_ms</c>; Ollama shape: <c>"message":{"content":"chunk"}</c>, <c>eval_count</c>,
    /// <c>total_duration</c> (ns).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out StreamEvent e)
    {
        e = new StreamEvent { OutputTokens = -1, ProcessingMs = -1 };
        try
        {
            var r = new Utf8JsonReader(json);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("message"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.String)
                    {
                        e.HasToken = r.ValueSpan.Length > 0;
                        if (e.HasToken && json.IndexOf("\"error\""u8) >= 0)
                        {
                            e.Message = r.GetString();
                        }
                    }
                    else if (r.TokenType == JsonTokenType.StartObject)
                    {
                        ReadOllamaMessage(ref r, ref e);
                    }
                    else
                    {
                        r.Skip();
                    }
                }
                else if (r.ValueTextEquals("done"u8))
                {
                    r.Read();
                    e.Done = r.TokenType == JsonTokenType.True;
                }
                else if (r.ValueTextEquals("error"u8))
                {
                    r.Read();
                    e.Error = r.TokenType == JsonTokenType.String ? r.GetString() : (r.TokenType == JsonTokenType.Null ? null : "unknown");
                    if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        r.Skip();
                    }
                }
                else if (r.ValueTextEquals("output_tokens"u8) || r.ValueTextEquals("eval_count"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var n))
                    {
                        e.OutputTokens = n;
                    }
                }
                else if (r.ValueTextEquals("processing_ms"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.Number)
                    {
                        e.ProcessingMs = r.GetDouble();
                    }
                }
                else if (r.ValueTextEquals("total_duration"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.Number)
                    {
                        e.ProcessingMs = r.GetDouble() / 1_000_000.0;
                    }
                }
                else if (r.ValueTextEquals("model"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.String)
                    {
                        e.Model = ModelNames.Get(ref r);
                    }
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

    private static void ReadOllamaMessage(ref Utf8JsonReader r, ref StreamEvent e)
    {
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("content"u8))
            {
                r.Read();
                e.HasToken = r.TokenType == JsonTokenType.String && r.ValueSpan.Length > 0;
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }
    }

    /// <summary>The model name at the reader's string value, interned (see <see cref="ModelNames"/>).</summary>
    internal static string InternModel(ref Utf8JsonReader r) => ModelNames.Get(ref r);

    /// <summary>Model names repeat on every item; intern the few distinct ones instead of allocating each time.</summary>
    private static class ModelNames
    {
        private static volatile string[] s_known = [];

        public static string Get(ref Utf8JsonReader r)
        {
            var known = s_known;
            foreach (var k in known)
            {
                if (r.ValueTextEquals(k))
                {
                    return k;
                }
            }

            var name = r.GetString() ?? "";
            if (known.Length < 32)
            {
                s_known = [.. known, name];
            }

            return name;
        }
    }
}
