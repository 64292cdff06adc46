using System.Text;
using Router.Testing;

namespace Router.WebFront.Tests.Completions;

/// <summary>Requests only a hand-written client sends: odd header bytes, oversized heads, bodies that trickle.</summary>
[Collection(RouterCollection.Name)]
public sealed class RawRequestTests(RouterFixture fixture)
{
    private static readonly byte[] Body = "{\"message\": \"hi\"}"u8.ToArray();

    [Theory]
    [InlineData("C3A96D696C65")] // "émile" in UTF-8
    [InlineData("E282AC")] // "€"
    public async Task A_non_ascii_user_id_is_refused(string hex)
    {
        var response = await SendAsync(Convert.FromHexString(hex));
        ProblemAssert.IsProblem(response, 400, "invalid_user_id");
    }

    [Fact]
    public async Task A_user_id_with_bytes_that_are_not_utf8_is_refused_by_kestrel()
    {
        // Kestrel refuses such a header itself, before the router sees the request: 400, no body.
        var response = await SendAsync([0x61, 0xFF, 0x62]);
        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task A_head_over_kestrels_limit_is_431()
    {
        // Kestrel's own limit (32 KiB of headers) answers before the router; it sends no body.
        var response = await SendAsync(Encoding.ASCII.GetBytes("alice"), ("X-Padding", Encoding.ASCII.GetBytes(new string('p', 40 * 1024))));
        Assert.Equal(431, response.Status);
    }

    [Fact]
    public async Task A_body_that_trickles_in_gets_408_and_the_connection_is_closed()
    {
        using var cancel = new CancellationTokenSource(Timeouts.Event);
        await using var connection = await RawHttpConnection.OpenAsync(fixture.Router.BaseUrl, cancel.Token);
        await connection.WriteAsync(RawHttpConnection.Head("POST", "/complete", "localhost",
            ("Content-Type", "application/json"u8.ToArray()), ("Content-Length", "1000"u8.ToArray())), cancel.Token);

        // One byte every 100 ms: a 1,000-byte body would take 100 s, far past WebFront:BodyReadTimeout (2 s here).
        using var trickle = new CancellationTokenSource();
        var writing = TrickleAsync(connection, trickle.Token);
        Assert.True(await connection.WaitForDataAsync(cancel.Token), "the server closed the connection without answering");
        var response = await connection.ReadResponseAsync(cancel.Token);
        await trickle.CancelAsync();
        await writing;

        ProblemAssert.IsProblem(response, 408, "body_timeout");
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await connection.IsClosedByServerAsync(cancel.Token), "the connection stayed open after the 408");
    }

    [Fact]
    public async Task Broken_chunked_framing_is_a_problem_and_the_connection_is_closed()
    {
        using var cancel = new CancellationTokenSource(Timeouts.Event);
        await using var connection = await RawHttpConnection.OpenAsync(fixture.Router.BaseUrl, cancel.Token);
        await connection.WriteAsync(RawHttpConnection.Head("POST", "/complete", "localhost",
            ("Content-Type", "application/json"u8.ToArray()), ("Transfer-Encoding", "chunked"u8.ToArray())), cancel.Token);
        await connection.WriteAsync("5\r\n{\"mes\r\nzz\r\nsage\": \"hi\"}\r\n0\r\n\r\n"u8.ToArray(), cancel.Token);

        var response = await connection.ReadResponseAsync(cancel.Token);
        ProblemAssert.IsProblem(response, 400, "body_unreadable");
        Assert.True(await connection.IsClosedByServerAsync(cancel.Token), "the connection stayed open after broken framing");
    }

    private static async Task TrickleAsync(RawHttpConnection connection, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var bytes = "{\"message\": \""u8.ToArray();
        try
        {
            for (var i = 0; await timer.WaitForNextTickAsync(cancellationToken); i++)
            {
                await connection.WriteAsync(new[] { i < bytes.Length ? bytes[i] : (byte)'a' }, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Stopped by the test, or the server closed the connection: both end the trickle.
        }
    }

    private async Task<RawHttpResponse> SendAsync(byte[] userId, params (string Name, byte[] Value)[] extra)
    {
        using var cancel = new CancellationTokenSource(Timeouts.Event);
        await using var connection = await RawHttpConnection.OpenAsync(fixture.Router.BaseUrl, cancel.Token);
        var headers = new List<(string, byte[])>
        {
            ("Content-Type", "application/json"u8.ToArray()),
            ("Content-Length", Encoding.ASCII.GetBytes(Body.Length.ToString())),
            ("Connection", "close"u8.ToArray()),
            ("X-User-Id", userId),
        };
        headers.AddRange(extra);
        await connection.WriteAsync(RawHttpConnection.Head("POST", "/complete", "localhost", headers.ToArray()), cancel.Token);
        try
        {
            await connection.WriteAsync(Body, cancel.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before it reads the body (Kestrel's own refusals do).
        }

        return await connection.ReadResponseAsync(cancel.Token);
    }
}
