using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Benchmarks.Relay;

/// <summary><c>{"message":…}</c>, the router's request body.</summary>
internal sealed record CompleteRequest(string? Message);

internal sealed record ChatMessage(string Role, string Content);

/// <summary>Ollama's <c>/api/chat</c> request, streaming.</summary>
internal sealed record ChatRequest(string Model, ChatMessage[] Messages, bool Stream);

/// <summary>Source-generated, so the relay pays no reflection on its hot path.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CompleteRequest))]
[JsonSerializable(typeof(ChatRequest))]
internal sealed partial class RelayJson : JsonSerializerContext;

/// <summary>The fields of one NDJSON line of <c>/api/chat</c> the relay forwards.</summary>
internal readonly record struct ChatLine(string? Content, string? Model, bool Done, long? PromptTokens, long? OutputTokens, long TotalNs)
{
    /// <summary>One forward pass with <see cref="Utf8JsonReader"/>; nested objects other than <c>message</c> are skipped.</summary>
    public static ChatLine Parse(ReadOnlySpan<byte> json)
    {
        string? content = null, model = null;
        var done = false;
        long? prompt = null, output = null;
        long total = 0;
        var r = new Utf8JsonReader(json);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }

        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("message"u8))
            {
                r.Read();
                if (r.TokenType != JsonTokenType.StartObject)
                {
                    r.Skip();
                    continue;
                }

                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    var isContent = r.ValueTextEquals("content"u8);
                    r.Read();
                    if (isContent && r.TokenType == JsonTokenType.String) content = r.GetString();
                    else r.Skip();
                }
            }
            else
            {
                var name = r.ValueTextEquals("model"u8) ? 1 : r.ValueTextEquals("done"u8) ? 2
                    : r.ValueTextEquals("prompt_eval_count"u8) ? 3 : r.ValueTextEquals("eval_count"u8) ? 4
                    : r.ValueTextEquals("total_duration"u8) ? 5 : 0;
                r.Read();
                switch (name)
                {
                    case 1 when r.TokenType == JsonTokenType.String: model = r.GetString(); break;
                    case 2: done = r.TokenType == JsonTokenType.True; break;
                    case 3 when r.TokenType == JsonTokenType.Number: prompt = r.GetInt64(); break;
                    case 4 when r.TokenType == JsonTokenType.Number: output = r.GetInt64(); break;
                    case 5 when r.TokenType == JsonTokenType.Number: total = r.GetInt64(); break;
                    default: r.Skip(); break;
                }
            }
        }

        return new ChatLine(content, model, done, prompt, output, total);
    }
}
