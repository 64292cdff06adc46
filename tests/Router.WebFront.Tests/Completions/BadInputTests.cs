using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.Testing;

namespace Router.WebFront.Tests.Completions;

[Collection(RouterCollection.Name)]
public sealed class BadInputTests(RouterFixture fixture)
{
    [Theory]
    [InlineData("{\"message\": \"hi\"", "application/json", 400, "invalid_json")]
    [InlineData("not json at all", "application/json", 400, "invalid_json")]
    [InlineData("{\"message\": \"hi\"} trailing", "application/json", 400, "invalid_json")]
    [InlineData("[\"hi\"]", "application/json", 400, "invalid_body")]
    [InlineData("{}", "application/json", 400, "message_missing")]
    [InlineData("{\"msg\": \"hi\"}", "application/json", 400, "message_missing")]
    [InlineData("{\"message\": null}", "application/json", 400, "message_missing")]
    [InlineData("{\"message\": \"\"}", "application/json", 400, "message_empty")]
    [InlineData("{\"message\": \"  \\n\\t \"}", "application/json", 400, "message_empty")]
    [InlineData("{\"message\": 42}", "application/json", 400, "message_not_string")]
    [InlineData("{\"message\": \"hi\"}", "text/plain", 415, "unsupported_media_type")]
    [InlineData("{\"message\": \"hi\"}", null, 415, "unsupported_media_type")]
    public async Task Bad_bodies_get_a_problem_before_any_stream(string body, string? contentType, int status, string code)
    {
        using var response = await SseClient.SendAsync(fixture.Http, body, contentType, "kim", Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, status, code);
    }

    [Fact]
    public async Task A_message_over_the_limit_is_refused()
    {
        var message = new string('a', 32 * 1024 + 1);
        using var response = await SseClient.SendAsync(fixture.Http, JsonSerializer.Serialize(new { message }), "application/json", "kim", Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 413, "message_too_large");
    }

    [Fact]
    public async Task A_message_at_the_limit_in_multibyte_characters_is_measured_in_bytes()
    {
        // 11,000 three-byte characters: 33,000 bytes, over 32 KiB though under 32 Ki characters.
        var message = new string('€', 11_000);
        using var response = await SseClient.SendAsync(fixture.Http, $"{{\"message\": \"{message}\"}}", "application/json", "kim", Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 413, "message_too_large");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused()
    {
        var body = JsonSerializer.Serialize(new { message = "hi", padding = new string('x', 70 * 1024) });
        using var response = await SseClient.SendAsync(fixture.Http, body, "application/json", "kim", Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 413, "body_too_large");
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused()
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { message = "hi", padding = new string('x', 70 * 1024) }));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/complete") { Content = new StreamContent(new MemoryStream(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 413, "body_too_large");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\u0001b")]
    [InlineData("a\tb")]
    public async Task Invalid_user_ids_are_refused(string userId)
    {
        using var response = await SseClient.SendAsync(fixture.Http, "{\"message\": \"hello\"}", "application/json", userId, Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 400, "invalid_user_id");
    }

    [Fact]
    public async Task A_user_id_over_128_characters_is_refused()
    {
        using var response = await SseClient.SendAsync(fixture.Http, "{\"message\": \"hello\"}", "application/json", new string('u', 129), Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 400, "invalid_user_id");
    }
}
