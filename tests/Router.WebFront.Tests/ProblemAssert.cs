using System.Text.Json;
using Router.Testing;

namespace Router.WebFront.Tests;

/// <summary>Checks that an answer is an RFC 7807 problem with the expected status and code.</summary>
internal static class ProblemAssert
{
    public static async Task IsProblemAsync(HttpResponseMessage response, int status, string code)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        IsProblemBody(await response.Content.ReadAsStringAsync(), status, code);
    }

    public static void IsProblem(RawHttpResponse response, int status, string code)
    {
        Assert.Equal(status, response.Status);
        Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
        IsProblemBody(response.BodyText, status, code);
    }

    /// <summary>The body is a problem with this status and code; returns the parsed body for further checks.</summary>
    public static JsonElement IsProblemBody(string body, int status, string code)
    {
        using var problem = JsonDocument.Parse(body);
        var root = problem.RootElement;
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        Assert.Equal(code, root.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("detail").GetString()));
        return root.Clone();
    }
}
