using System.Text.Json.Nodes;

namespace Router.WebFront.Tests.Completions.Fuzz;

/// <summary>
/// Valid bodies of every JSON surface, and every JSON value range a field can be given: the
/// surface fuzz puts each value at each field (and deletes fields, and adds unknown ones).
/// Generating bodies steer the router to a model without a streaming backend, so they answer at once.
/// </summary>
internal static class SurfaceBodies
{
    /// <summary>A surface: its method and path, and a valid body (null for a path that needs a key id, filled in by the test).</summary>
    public sealed record Surface(string Name, HttpMethod Method, string Path, string Body);

    private const string Prompt = "fuzz [[classify:code]] [[sim:tokens=1]]";

    public static readonly Surface[] All = Bodies().Select(s => s with { Body = s.Body.Replace("PROMPT", Prompt, StringComparison.Ordinal) }).ToArray();

    private static Surface[] Bodies() =>
    [
        new("complete", HttpMethod.Post, "/complete", """{"message":"PROMPT"}"""),
        new("openai", HttpMethod.Post, "/v1/chat/completions",
            """{"model":"auto","stream":false,"max_tokens":5,"temperature":0.5,"top_p":1,"seed":7,"stop":["zz"],"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"PROMPT"}]}"""),
        new("ollama_chat", HttpMethod.Post, "/api/chat",
            """{"model":"auto","stream":false,"keep_alive":"5m","options":{"num_predict":5,"temperature":0.5,"top_k":3,"seed":7,"stop":["zz"]},"messages":[{"role":"user","content":"PROMPT"}]}"""),
        new("ollama_generate", HttpMethod.Post, "/api/generate",
            """{"model":"auto","stream":false,"system":"be brief","prompt":"PROMPT","options":{"num_predict":5,"temperature":0.5}}"""),
        new("route", HttpMethod.Post, "/v1/route", """{"model":"auto","messages":[{"role":"user","content":"PROMPT"}]}"""),
        new("admin_create", HttpMethod.Post, "/admin/keys",
            """{"user_id":"fuzz-user","limits":{"requests_per_minute":5,"tokens_per_minute":100,"tokens_per_day":1000,"concurrent_streams":2,"spend_per_day":1.5,"spend_per_month":20}}"""),
        new("admin_patch", HttpMethod.Patch, "/admin/keys/{id}",
            """{"limits":{"requests_per_minute":5,"tokens_per_minute":null,"tokens_per_day":1000,"concurrent_streams":2,"spend_per_day":0.25,"spend_per_month":null}}"""),
    ];

    /// <summary>Every range of JSON value: each kind, the edges of 32- and 64-bit integers and doubles, odd strings, nesting.</summary>
    public static readonly string[] Values =
    [
        "null", "true", "false", "0", "-0", "1", "-1", "0.5", "-0.0", "1e-320", "5e-324", "1.7976931348623157e308", "-1.7976931348623157e308",
        "1e309", "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "123456789012345678901234567890", "1.5", "3.0", "1E2",
        "\"\"", "\" \"", "\"auto\"", "\"llama3.2\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\u202e\"", "\"-1\"", "\"5\"", "\"NaN\"",
        "\"" + new string('a', 5000) + "\"", "[]", "[null]", "[1,\"a\",{}]", "{}", "{\"a\":{\"b\":[1,{\"c\":null}]}}",
        new string('[', 200) + new string(']', 200), "[\"user\",\"assistant\"]", "{\"role\":\"user\",\"content\":\"x\"}",
    ];

    /// <summary>Every field path of a body (objects and arrays walked), the root excluded.</summary>
    public static List<List<object>> Paths(JsonNode node)
    {
        var paths = new List<List<object>>();
        void Walk(JsonNode? current, List<object> path)
        {
            switch (current)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj)
                    {
                        var next = new List<object>(path) { name };
                        paths.Add(next);
                        Walk(child, next);
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        var next = new List<object>(path) { i };
                        paths.Add(next);
                        Walk(array[i], next);
                    }

                    break;
            }
        }

        Walk(node, []);
        return paths;
    }

    /// <summary>The body with the value at <paramref name="path"/> replaced (null: removed).</summary>
    public static string With(string body, List<object> path, string? value)
    {
        var root = JsonNode.Parse(body)!;
        var parent = root;
        for (var i = 0; i < path.Count - 1; i++)
        {
            parent = path[i] is string name ? parent[name]! : parent[(int)path[i]]!;
        }

        var last = path[^1];
        // A placeholder spliced out as text afterwards: some values (lone surrogate escapes) cannot pass through a JsonNode.
        JsonNode? replacement = value is null ? null : JsonValue.Create(Placeholder);
        switch (parent, last)
        {
            case (JsonObject obj, string name) when value is null:
                obj.Remove(name);
                break;
            case (JsonObject obj, string name):
                obj[name] = replacement;
                break;
            case (JsonArray array, int index) when value is null:
                array.RemoveAt(index);
                break;
            case (JsonArray array, int index):
                array[index] = replacement;
                break;
        }

        var text = root.ToJsonString();
        return value is null ? text : text.Replace("\"" + Placeholder + "\"", value, StringComparison.Ordinal);
    }

    private const string Placeholder = "__fuzz_value__";
}
