using System.Text;
using System.Text.Json;

namespace Router.WebFront.Tests.Hosting;

/// <summary>One valid request per JSON surface, and a check that an error came in that surface's shape.</summary>
internal static class SurfaceRequests
{
    public static readonly TheoryData<string> JsonRoutes = new() { "/complete", "/v1/chat/completions", "/api/chat", "/api/generate", "/v1/route", "/admin/keys" };

    public static HttpRequestMessage For(string route, string message = "hello [[sim:tokens=2]]", string contentType = "application/json")
    {
        var text = JsonSerializer.Serialize(message);
        var body = route switch
        {
            "/v1/chat/completions" => $$"""{"model":"auto","messages":[{"role":"user","content":{{text}}}]}""",
            "/api/chat" => $$"""{"model":"auto","stream":false,"messages":[{"role":"user","content":{{text}}}]}""",
            "/api/generate" => $$"""{"model":"auto","stream":false,"prompt":{{text}}}""",
            "/admin/keys" => """{"user_id":"someone"}""",
            _ => $$"""{"message":{{text}}}""",
        };
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-User-Id", "guard-user");
        return request;
    }

    /// <summary>Asserts <paramref name="status"/> and the surface's error shape; returns the error's code (null for Ollama, which has none).</summary>
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
