using System.Text;
using System.Text.Json;

namespace Router.WebFront.Tests.Hosting;

/// <summary>One valid request per JSON surface, and a check that an error came in that surface's shape.</summary>
internal static class SurfaceRequests
{
    public static readonly TheoryData<string> JsonRoutes = new() { "/complete", "/v1/chat/completions", "/api/chat", "/api/generate", "/v1/messages", "/v1/responses", "/v1/embeddings", "/api/embed", "/v1/route", "/admin/keys" };

    public static HttpRequestMessage For(string route, string message = "hello [[sim:tokens=2]]", string contentType = "application/json")
    {
        var text = JsonSerializer.Serialize(message);
        var body = route switch
        {
            "/v1/chat/completions" => $$"""{"model":"auto","messages":[{"role":"user","content":{{text}}}]}""",
            "/api/chat" => $$"""{"model":"auto","stream":false,"messages":[{"role":"user","content":{{text}}}]}""",
            "/api/generate" => $$"""{"model":"auto","stream":false,"prompt":{{text}}}""",
            "/v1/messages" => $$"""{"model":"auto","max_tokens":50,"messages":[{"role":"user","content":{{text}}}]}""",
            "/v1/responses" => $$"""{"model":"auto","store":false,"input":{{text}}}""",
            "/v1/embeddings" or "/api/embed" => $$"""{"model":"llama3.2","input":{{text}}}""",
            "/admin/keys" => """{"user_id":"someone"}""",
            _ => $$"""{"message":{{text}}}""",
        };
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-User-Id", "guard-user");
        return request;
    }

    /// <summary>The status a refusal of <paramref name="status"/> has on <paramref name="route"/>: Anthropic's API answers "overloaded" with 529.</summary>
    public static int StatusOn(string route, int status) => route == "/v1/messages" && status == 503 ? 529 : status;

    /// <summary>Asserts <paramref name="status"/> and the surface's error shape; returns the error's code (null for Ollama and Anthropic, which have none).</summary>
    public static async Task<string?> AssertErrorAsync(HttpResponseMessage response, string route, int status)
    {
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{route}: expected {status}, got {(int)response.StatusCode}: {raw}");
        var root = JsonDocument.Parse(raw).RootElement;
        if (route.StartsWith("/api/", StringComparison.Ordinal))
        {
            Assert.Equal("error", Assert.Single(root.EnumerateObject()).Name);
            Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("error").GetString()));
            return null;
        }

        if (route == "/v1/messages")
        {
            // Anthropic's shape: {"type":"error","error":{"type","message"}}, never OpenAI's.
            Assert.Equal("error", root.GetProperty("type").GetString());
            var error = root.GetProperty("error");
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
            Assert.Equal(status switch { 403 => "permission_error", 529 => "overloaded_error", _ => "invalid_request_error" },
                error.GetProperty("type").GetString());
            Assert.False(error.TryGetProperty("code", out _), $"{route}: an OpenAI-shaped error: {raw}");
            return null;
        }

        if (route.StartsWith("/v1/", StringComparison.Ordinal) && route != "/v1/route")
        {
            var error = root.GetProperty("error");
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
            return error.GetProperty("code").GetString();
        }

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        return root.GetProperty("code").GetString();
    }
}
