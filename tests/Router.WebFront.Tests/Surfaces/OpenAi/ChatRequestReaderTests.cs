using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Surfaces.OpenAi;

namespace Router.WebFront.Tests.Surfaces.OpenAi;

/// <summary>How a chat request becomes the model's input: the conversation whole, the tools, the output format and the settings.</summary>
public sealed class ChatRequestReaderTests
{
    private const int MaxBody = 4096;
    private const int MaxMessage = 64;

    internal static Task<(ChatRequest? Request, OpenAiError? Error)> ReadAsync(string body, int maxBody = MaxBody) =>
        ChatRequestReader.ReadAsync(TestRequests.Json(body), maxBody, MaxMessage, CancellationToken.None);

    private static async Task<ChatRequest> ReadOkAsync(string body)
    {
        var (request, error) = await ReadAsync(body);
        Assert.True(error is null, $"refused: {error?.Param}: {error?.Message}");
        return request!;
    }

    [Fact]
    public async Task Every_message_reaches_the_input_in_order_with_developer_as_system()
    {
        var request = await ReadOkAsync("""
            {"model":"auto","messages":[{"role":"developer","content":"be brief"},{"role":"user","content":"first"},
             {"role":"assistant","content":"answer"},{"role":"user","content":[{"type":"text","text":"part one"},{"type":"text","text":"part two"}]}]}
            """);

        Assert.Null(request.NamedModel);
        Assert.Equal(["system", "user", "assistant", "user"], request.Input.Messages.Select(m => m.Role));
        Assert.Equal(["part one", "part two"], request.Input.Messages[3].Parts.Select(p => p.Text));
        Assert.Equal("part one\npart two", request.Message);
        Assert.Null(request.Input.Tools);
        Assert.Null(request.Input.Format);
        Assert.Null(request.Settings);
    }

    [Fact]
    public async Task A_tool_loop_keeps_calls_results_and_reasoning_and_routes_on_the_last_user_text()
    {
        var request = await ReadOkAsync("""
            {"model":"llama3.2","messages":[{"role":"user","content":"weather in Oslo?"},
             {"role":"assistant","content":null,"reasoning_content":"need the tool","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"12 C, rain"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}}],
             "tool_choice":{"type":"function","function":{"name":"get_weather"}},"parallel_tool_calls":true}
            """);

        Assert.Equal("weather in Oslo?", request.Message);
        var assistant = request.Input.Messages[1];
        Assert.Equal([PartKind.Reasoning, PartKind.ToolCall], assistant.Parts.Select(p => p.Kind));
        Assert.Equal(new MessagePart(PartKind.ToolCall, CallId: "call_1", Name: "get_weather", Arguments: """{"city":"Oslo"}"""), assistant.Parts[1]);
        var result = Assert.Single(request.Input.Messages[2].Parts);
        Assert.Equal(new MessagePart(PartKind.ToolResult, Text: "12 C, rain", CallId: "call_1", Name: "get_weather"), result);
        var tool = Assert.Single(request.Input.Tools!);
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("Weather now", tool.Description);
        Assert.True(tool.Strict);
        Assert.Equal("string", JsonDocument.Parse(tool.Parameters!).RootElement.GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.Equal(new ToolChoice(ToolChoice.Function, "get_weather"), request.Input.ToolChoice);
    }

    [Fact]
    public async Task A_data_url_image_becomes_bytes_and_a_remote_one_is_carried_as_its_address()
    {
        var request = await ReadOkAsync("""
            {"model":"auto","messages":[{"role":"user","content":[{"type":"text","text":"what is this?"},
             {"type":"image_url","image_url":{"url":"data:image/png;base64,AQIDBA==","detail":"auto"}},
             {"type":"image_url","image_url":{"url":"https://images.example/cat.jpg"}}]}]}
            """);

        var parts = request.Input.Messages[0].Parts;
        Assert.Equal("image/png", parts[1].MediaType);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, parts[1].Data);
        Assert.Equal("https://images.example/cat.jpg", parts[2].Uri);
        Assert.Null(parts[2].Data);
        Assert.True(request.Input.HasImages);
    }

    [Fact]
    public async Task Settings_output_format_and_streaming_are_read()
    {
        var request = await ReadOkAsync("""
            {"model":"auto","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true},
             "temperature":0.5,"top_p":0.9,"max_tokens":7,"max_completion_tokens":7,"seed":3,"stop":["END","STOP"],
             "frequency_penalty":-1.5,"presence_penalty":2,"reasoning_effort":"minimal","top_k":40,
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},"strict":true,"description":"d"}},
             "user":"u-1","metadata":{"team":"a"},"store":false,"n":1,"logprobs":false,"logit_bias":{},"modalities":["text"]}
            """);

        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.Equal(new GenerationSettings(0.5f, 0.9f, 7, request.Settings!.Stop, 3, 40, -1.5f, 2f, "low"), request.Settings);
        Assert.Equal(["END", "STOP"], request.Settings.Stop!);
        Assert.Equal(new OutputFormat(OutputFormat.JsonSchema, """{"type":"object"}""", "answer", "d", true), request.Input.Format);
    }

    [Theory]
    [InlineData("""{"type":"text"}""", null)]
    [InlineData("""{"type":"json_object"}""", OutputFormat.Json)]
    public async Task Text_and_json_object_formats_are_mapped(string format, string? kind)
    {
        var request = await ReadOkAsync($$"""{"model":"auto","messages":[{"role":"user","content":"hi"}],"response_format":{{format}}}""");
        Assert.Equal(kind, request.Input.Format?.Kind);
    }

    [Theory]
    [InlineData("none", "off")]
    [InlineData("low", "low")]
    [InlineData("medium", "medium")]
    [InlineData("high", "high")]
    public async Task Reasoning_effort_is_mapped(string effort, string reasoning)
    {
        var request = await ReadOkAsync($$"""{"model":"auto","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"{{effort}}"}""");
        Assert.Equal(reasoning, request.Settings?.Reasoning);
    }

    [Fact]
    public async Task Nulls_are_absent_values()
    {
        var request = await ReadOkAsync("""
            {"model":"auto","messages":[{"role":"user","content":"hi"}],"temperature":null,"tools":null,"tool_choice":null,
             "response_format":null,"stop":null,"n":null,"logprobs":null,"stream":null,"stream_options":null,"audio":null,"functions":null}
            """);
        Assert.Null(request.Settings);
        Assert.False(request.Stream);
        Assert.Null(request.Input.Tools);
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
