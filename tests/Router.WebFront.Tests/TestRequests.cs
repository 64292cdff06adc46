using System.Text;
using Microsoft.AspNetCore.Http;

namespace Router.WebFront.Tests;

/// <summary>Requests built in memory, for the readers that take an <see cref="HttpRequest"/> and need no server.</summary>
internal static class TestRequests
{
    public static HttpRequest Json(string body, string? contentType = "application/json", bool announceLength = true) =>
        Bytes(Encoding.UTF8.GetBytes(body), contentType, announceLength);

    public static HttpRequest Bytes(byte[] body, string? contentType = "application/json", bool announceLength = true)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Protocol = "HTTP/1.1";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        if (announceLength) context.Request.ContentLength = body.Length;
        return context.Request;
    }

    public static HttpRequest WithHeaders(params (string Name, string[] Values)[] headers)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, values) in headers) context.Request.Headers[name] = values;
        return context.Request;
    }
}
