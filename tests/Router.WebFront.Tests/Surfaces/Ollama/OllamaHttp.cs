using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>Raw HTTP against the Ollama surface, for exact wire-format assertions.</summary>
internal static class OllamaHttp
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string body, string? user = "wire", string? contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (user is not null) request.Headers.Add("X-User-Id", user);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Timeouts.Token());
    }

    /// <summary>Every line of an NDJSON body, each parsed; fails on a line that is not one JSON object.</summary>
    public static async Task<(string Raw, List<JsonElement> Lines)> ReadLinesAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync(Timeouts.Token());
        Assert.EndsWith("\n", raw);
        var lines = raw[..^1].Split('\n').Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            return document.RootElement.Clone();
        }).ToList();
        return (raw, lines);
    }

    /// <summary>Asserts Ollama's error body: exactly <c>{"error": "…"}</c>, as JSON.</summary>
    public static async Task<string> AssertErrorBodyAsync(HttpResponseMessage response, int status)
    {
        var raw = await response.Content.ReadAsStringAsync(Timeouts.Token());
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {raw}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(raw);
        var property = Assert.Single(document.RootElement.EnumerateObject());
        Assert.Equal("error", property.Name);
        var message = property.Value.GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"no {name} header");

    public static string Content(JsonElement line) =>
        line.TryGetProperty("message", out var message) ? message.GetProperty("content").GetString()! : line.GetProperty("response").GetString()!;

    public static bool IsDone(JsonElement line) => line.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True;
}
