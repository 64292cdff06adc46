using Router.Testing;

namespace Router.WebFront.Tests.Hosting;

/// <summary>
/// Browsers cannot drive the router: a foreign Host (DNS rebinding) is a 400, a foreign Origin a
/// 403, a text or form body a 415 — on every JSON surface, in its own error shape. Non-browser
/// clients (no Origin) and the listed web origin pass.
/// </summary>
[Collection(GuardedRouterCollection.Name)]
public sealed class RequestGuardTests(GuardedRouterFixture fixture)
{
    [Theory]
    [MemberData(nameof(SurfaceRequests.JsonRoutes), MemberType = typeof(SurfaceRequests))]
    public async Task A_host_name_that_is_not_loopback_is_refused_by_default(string route)
    {
        using var request = SurfaceRequests.For(route);
        request.Headers.Host = $"rebound.example:{fixture.Router.BaseUrl.Port}";

        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());

        var code = await SurfaceRequests.AssertErrorAsync(response, route, 400);
        if (code is not null) Assert.Equal("invalid_host", code);
    }

    [Theory]
    [MemberData(nameof(SurfaceRequests.JsonRoutes), MemberType = typeof(SurfaceRequests))]
    public async Task A_foreign_origin_is_refused(string route)
    {
        using var request = SurfaceRequests.For(route);
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());

        var code = await SurfaceRequests.AssertErrorAsync(response, route, 403);
        if (code is not null) Assert.Equal("origin_not_allowed", code);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Loopback_names_and_the_router_s_own_origin_pass(string host)
    {
        using var request = SurfaceRequests.For("/v1/route");
        request.Headers.Host = $"{host}:{fixture.Router.BaseUrl.Port}";
        request.Headers.Add("Origin", $"http://{host}:{fixture.Router.BaseUrl.Port}");

        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task The_listed_origin_passes_and_gets_cors_headers_and_its_preflight_is_answered()
    {
        using var request = SurfaceRequests.For("/v1/route");
        request.Headers.Add("Origin", GuardedRouterFixture.AllowedOrigin);
        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(GuardedRouterFixture.AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        preflight.Headers.Add("Origin", GuardedRouterFixture.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var answer = await fixture.Http.SendAsync(preflight, Timeouts.Token());
        Assert.Equal(204, (int)answer.StatusCode);
        Assert.Equal(GuardedRouterFixture.AllowedOrigin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var foreign = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        foreign.Headers.Add("Origin", "https://evil.example");
        foreign.Headers.Add("Access-Control-Request-Method", "POST");
        using var refused = await fixture.Http.SendAsync(foreign, Timeouts.Token());
        Assert.Equal(403, (int)refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    public static readonly TheoryData<string, string> BrowserBodies = new()
    {
        { "/v1/chat/completions", "text/plain" }, { "/v1/chat/completions", "application/x-www-form-urlencoded" },
        { "/api/chat", "text/plain;charset=UTF-8" }, { "/api/chat", "application/x-www-form-urlencoded" }, { "/api/generate", "multipart/form-data; boundary=x" },
        { "/v1/route", "text/plain" }, { "/complete", "text/plain" }, { "/v1/messages", "text/plain" }, { "/v1/responses", "text/plain" },
    };

    [Theory]
    [MemberData(nameof(BrowserBodies))]
    public async Task A_text_or_form_body_on_a_json_surface_is_a_415(string route, string contentType)
    {
        using var request = SurfaceRequests.For(route, contentType: contentType);

        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());

        var code = await SurfaceRequests.AssertErrorAsync(response, route, 415);
        if (code is not null) Assert.Equal("unsupported_media_type", code);
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/api/chat")]
    [InlineData("/v1/route")]
    public async Task A_body_that_trickles_in_on_a_json_surface_gets_408_in_its_shape(string route)
    {
        using var cancel = new CancellationTokenSource(Timeouts.Event);
        await using var connection = await RawHttpConnection.OpenAsync(fixture.Router.BaseUrl, cancel.Token);
        await connection.WriteAsync(RawHttpConnection.Head("POST", route, "localhost",
            ("Content-Type", "application/json"u8.ToArray()), ("Content-Length", "1000"u8.ToArray()), ("X-User-Id", "trickler"u8.ToArray())), cancel.Token);

        // One byte every 100 ms: the body would take 100 s, far past WebFront:BodyReadTimeout (2 s here).
        using var trickle = new CancellationTokenSource();
        var writing = TrickleAsync(connection, trickle.Token);
        Assert.True(await connection.WaitForDataAsync(cancel.Token), "the server closed the connection without answering");
        var response = await connection.ReadResponseAsync(cancel.Token);
        await trickle.CancelAsync();
        await writing;

        Assert.Equal(408, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Contains(route == "/api/chat" ? "\"error\"" : "body_timeout", response.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_request_longer_than_the_message_limit_is_a_413()
    {
        using var request = SurfaceRequests.For("/v1/route", new string('x', 40 * 1024));

        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());

        Assert.Equal("message_too_large", await SurfaceRequests.AssertErrorAsync(response, "/v1/route", 413));
    }

    private static async Task TrickleAsync(RawHttpConnection connection, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) await connection.WriteAsync("{"u8.ToArray(), cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Stopped by the test, or the server closed the connection: both end the trickle.
        }
    }
}
