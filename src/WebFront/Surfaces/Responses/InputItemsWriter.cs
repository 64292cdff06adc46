using System.Text.Json;
using Router.Grains.Interfaces;
using Router.Grains.Interfaces.Responses;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>
/// A stored response's input as the API's input items (<c>GET /v1/responses/{id}/input_items</c>):
/// messages with <c>input_text</c> / <c>input_image</c> (<c>output_text</c> for an assistant's),
/// <c>function_call</c>, <c>function_call_output</c> and <c>reasoning</c> items, in the order the
/// client sent them. The router keeps the input's content, not the ids the client gave its items,
/// so each item's id is made from the response's id and the item's place in the input.
/// </summary>
internal static class InputItemsWriter
{
    /// <summary>One item: its id and how it is written.</summary>
    public sealed record Item(string Id, Action<Utf8JsonWriter> Write);

    /// <summary>The items of <paramref name="stored"/>'s input (every stored message but the last, which is the output).</summary>
    public static List<Item> Of(StoredResponse stored)
    {
        var suffix = stored.Id.StartsWith("resp_", StringComparison.Ordinal) ? stored.Id["resp_".Length..] : stored.Id;
        var items = new List<Item>();
        string NextId(string prefix) => $"{prefix}_{suffix}_{items.Count}";
        foreach (var message in stored.Messages.Take(stored.Messages.Count - 1))
        {
            var content = new List<MessagePart>();
            foreach (var part in message.Parts)
            {
                if (part.Kind is PartKind.Text or PartKind.Image)
                {
                    content.Add(part);
                    continue;
                }

                Flush();
                var id = NextId(part.Kind switch { PartKind.ToolCall => "fc", PartKind.ToolResult => "fco", _ => "rs" });
                items.Add(new Item(id, json => WritePart(json, id, part)));
            }

            Flush();

            void Flush()
            {
                if (content.Count == 0) return;
                var id = NextId("msg");
                var parts = content.ToArray();
                var role = message.Role;
                items.Add(new Item(id, json => WriteMessage(json, id, role, parts)));
                content.Clear();
            }
        }

        return items;
    }

    private static void WriteMessage(Utf8JsonWriter json, string id, string role, MessagePart[] parts)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, id);
        json.WriteString("type"u8, "message");
        json.WriteString("role"u8, role);
        json.WriteString("status"u8, "completed");
        json.WriteStartArray("content"u8);
        foreach (var part in parts)
        {
            json.WriteStartObject();
            if (part.Kind == PartKind.Image)
            {
                json.WriteString("type"u8, "input_image");
                json.WriteString("image_url"u8, part.Uri ?? $"data:{part.MediaType};base64,{Convert.ToBase64String(part.Data ?? [])}");
                json.WriteString("detail"u8, "auto");
            }
            else if (role == "assistant")
            {
                json.WriteString("type"u8, "output_text");
                json.WriteString("text"u8, part.Text ?? "");
                json.WriteStartArray("annotations"u8);
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("type"u8, "input_text");
                json.WriteString("text"u8, part.Text ?? "");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePart(Utf8JsonWriter json, string id, MessagePart part)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, id);
        switch (part.Kind)
        {
            case PartKind.ToolCall:
                json.WriteString("type"u8, "function_call");
                json.WriteString("call_id"u8, part.CallId);
                json.WriteString("name"u8, part.Name);
                json.WriteString("arguments"u8, part.Arguments ?? "{}");
                break;
            case PartKind.ToolResult:
                json.WriteString("type"u8, "function_call_output");
                json.WriteString("call_id"u8, part.CallId);
                json.WriteString("output"u8, part.Text ?? "");
                break;
            default:
                json.WriteString("type"u8, "reasoning");
                json.WriteStartArray("summary"u8);
                json.WriteEndArray();
                json.WriteStartArray("content"u8);
                json.WriteStartObject();
                json.WriteString("type"u8, "reasoning_text");
                json.WriteString("text"u8, part.Text ?? "");
                json.WriteEndObject();
                json.WriteEndArray();
                break;
        }

        json.WriteString("status"u8, "completed");
        json.WriteEndObject();
    }
}
