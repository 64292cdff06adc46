using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Router.WebFront.Tests;

/// <summary>Endpoints that exist only in the test host, to reach code paths no real request should reach.</summary>
internal static class TestEndpoints
{
    public const string ThrowPath = "/test/throw";

    /// <summary>Text of the exception the throwing endpoint raises; it must never reach a client.</summary>
    public const string SecretText = "backend at http://10.1.2.3:11434/ refused (secret detail)";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(ThrowPath, string () => throw new InvalidOperationException(SecretText));
}
