using System.Text.Json;
using Router.WebFront.Surfaces.OpenAi;

namespace Router.WebFront.Tests.Surfaces.OpenAi;

public sealed class ChatRequestReaderTests
{
    private const int MaxBody = 1024;
    private const int MaxMessage = 64;

    private static Task<(ChatRequest? Request, OpenAiError? Error)> ReadAsync(string body, int maxBody = MaxBody) =>
        ChatRequestReader.ReadAsync(TestRequests.Json(body), maxBody, MaxMessage, CancellationToken.None);

    [Fact]
    public async Task A_chat_gives_the_last_user_message_its_context_and_settings()
    {
        var (request, error) = await ReadAsync("""
            {"model":"auto","messages":[{"role":"system","content":"be brief"},
             {"role":"user","content":[{"type":"text","text":"part one, "},{"type":"image_url","image_url":{}},{"type":"text","text":"part two"}]}],
             "stream":true,"stream_options":{"include_usage":true},"temperature":0.5,"max_tokens":9,"max_completion_tokens":7,"seed":3,"stop":"END"}
            """);

        Assert.Null(error);
        Assert.NotNull(request);
        Assert.Null(request.NamedModel);
        Assert.Equal("part one, part two", request.Message);
        Assert.Equal("system", Assert.Single(request.Context).Role);
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.Equal(0.5f, request.Settings!.Temperature);
        Assert.Equal(7, request.Settings.MaxTokens);
        Assert.Equal(3, request.Settings.Seed);
        Assert.Equal(["END"], request.Settings.Stop!);
    }

    [Fact]
    public async Task Messages_after_the_last_user_message_are_not_context_and_no_settings_means_none()
    {
        var (request, error) = await ReadAsync("""{"model":"llama3.2","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}""");
        Assert.Null(error);
        Assert.Equal("llama3.2", request!.NamedModel);
        Assert.Equal("hi", request.Message);
        Assert.Empty(request.Context);
        Assert.False(request.Stream);
        Assert.Null(request.Settings);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"m"}""", "messages")]
    [InlineData("""{"model":"m","messages":[]}""", "messages")]
    [InlineData("""{"model":"m","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"content":"hi"}]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"only"}]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":" "}]}""", "messages")]
    public async Task A_bad_request_is_an_openai_400_naming_the_parameter(string body, string param)
    {
        var (request, error) = await ReadAsync(body);
        Assert.Null(request);
        Assert.Equal(400, error?.Status);
        Assert.Equal("invalid_request_error", error?.Type);
        Assert.Equal(param, error?.Param);
    }

    [Fact]
    public async Task A_last_user_message_over_the_limit_is_a_413()
    {
        var body = JsonSerializer.Serialize(new { model = "m", messages = new[] { new { role = "user", content = new string('x', MaxMessage + 1) } } });
        var (_, error) = await ReadAsync(body);
        Assert.Equal(413, error?.Status);
        Assert.Equal("message_too_large", error?.Code);
    }

    [Theory]
    [InlineData("{\"model\":", 400, "invalid_request")]
    [InlineData("[]", 400, "invalid_request")]
    public async Task A_body_that_is_no_json_object_is_an_openai_400(string body, int status, string code)
    {
        var (_, error) = await ReadAsync(body);
        Assert.Equal(status, error?.Status);
        Assert.Equal(code, error?.Code);
    }

    [Fact]
    public async Task A_body_over_the_limit_keeps_its_413_in_openai_shape()
    {
        var (_, error) = await ReadAsync($$"""{"model":"m","pad":"{{new string('p', 200)}}"}""", maxBody: 100);
        Assert.Equal(413, error?.Status);
        Assert.Equal("body_too_large", error?.Code);
    }
}
