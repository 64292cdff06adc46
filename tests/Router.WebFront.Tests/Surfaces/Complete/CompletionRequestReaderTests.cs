using Router.WebFront.Completions;
using Router.WebFront.Surfaces.Complete;

namespace Router.WebFront.Tests.Surfaces.Complete;

public sealed class CompletionRequestReaderTests
{
    private const int MaxBody = 256;
    private const int MaxMessage = 64;

    private static Task<(string? Message, RequestProblem? Problem)> ReadAsync(Microsoft.AspNetCore.Http.HttpRequest request) =>
        CompletionRequestReader.ReadAsync(request, MaxBody, MaxMessage, CancellationToken.None, TimeSpan.FromMinutes(1));

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("APPLICATION/JSON")]
    [InlineData("application/vnd.router+json")]
    public async Task A_json_media_type_is_read(string contentType)
    {
        var (message, problem) = await ReadAsync(TestRequests.Json("""{"message":"hi"}""", contentType));
        Assert.Null(problem);
        Assert.Equal("hi", message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain")]
    [InlineData("application/jsonx")]
    [InlineData("text/json+xml")]
    public async Task Any_other_media_type_is_a_415(string? contentType)
    {
        var (message, problem) = await ReadAsync(TestRequests.Json("""{"message":"hi"}""", contentType));
        Assert.Null(message);
        Assert.Equal(415, problem?.Status);
    }

    [Fact]
    public async Task An_announced_length_over_the_limit_is_refused_before_reading()
    {
        var request = TestRequests.Json("""{"message":"hi"}""");
        request.ContentLength = MaxBody + 1;
        var (_, problem) = await ReadAsync(request);
        Assert.Equal("body_too_large", problem?.Code);
        Assert.Equal(0, request.Body.Position);
    }

    [Fact]
    public async Task A_body_without_a_length_is_still_cut_off_at_the_limit()
    {
        var body = $$"""{"message":"hi","pad":"{{new string('x', MaxBody)}}"}""";
        var (message, problem) = await ReadAsync(TestRequests.Json(body, announceLength: false));
        Assert.Null(message);
        Assert.Equal(413, problem?.Status);
        Assert.Equal("body_too_large", problem?.Code);
    }

    [Fact]
    public async Task The_body_goes_through_the_body_parser()
    {
        Assert.Equal("duplicate_message", (await ReadAsync(TestRequests.Json("""{"message":"a","message":"b"}"""))).Problem?.Code);
        Assert.Equal("message_too_large", (await ReadAsync(TestRequests.Json($$"""{"message":"{{new string('m', MaxMessage + 1)}}"}"""))).Problem?.Code);
    }
}
