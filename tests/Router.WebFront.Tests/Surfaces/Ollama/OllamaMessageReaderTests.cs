using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Surfaces.Ollama;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>Ollama's chat messages as the conversation the model gets: tool calls, tool results, thinking, images.</summary>
public sealed class OllamaMessageReaderTests
{
    private static JsonElement Root(string json) => JsonDocument.Parse(json).RootElement;

    private static readonly string Jpeg = Convert.ToBase64String([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]);

    [Fact]
    public void A_tool_loop_ending_with_a_tool_result_reaches_the_model_whole()
    {
        var (call, problem) = OllamaRequestReader.ParseChat(Root("""
            {"model":"m","messages":[
              {"role":"user","content":"Weather in Oslo?"},
              {"role":"assistant","content":"","thinking":"I should look it up.","tool_calls":[
                {"id":"call_1","function":{"index":0,"name":"get_weather","arguments":{"city":"Oslo","days":2}}}]},
              {"role":"tool","content":"rain, 7 degrees","tool_name":"get_weather","tool_call_id":"call_1"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather by city",
               "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]}
            """), 1024);

        Assert.Null(problem);
        Assert.Equal("Weather in Oslo?", call!.Message);
        var messages = call.Input!.Messages;
        Assert.Equal(["user", "assistant", "tool"], messages.Select(m => m.Role));

        Assert.Equal([PartKind.Reasoning, PartKind.ToolCall], messages[1].Parts.Select(p => p.Kind));
        Assert.Equal("I should look it up.", messages[1].Parts[0].Text);
        var toolCall = messages[1].Parts[1];
        Assert.Equal(("call_1", "get_weather"), (toolCall.CallId, toolCall.Name));
        Assert.Equal("""{"city":"Oslo","days":2}""", toolCall.Arguments);

        var result = Assert.Single(messages[2].Parts);
        Assert.Equal(new MessagePart(PartKind.ToolResult, Text: "rain, 7 degrees", CallId: "call_1", Name: "get_weather"), result);

        var tool = Assert.Single(call.Input.Tools!);
        Assert.Equal(("get_weather", "Weather by city"), (tool.Name, tool.Description));
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", tool.Parameters);
    }

    [Fact]
    public void A_user_message_keeps_its_text_and_images_in_order()
    {
        var (call, problem) = OllamaRequestReader.ParseChat(Root($$"""
            {"model":"m","messages":[{"role":"user","content":"What is on it?","images":["{{Jpeg}}"]}]}
            """), 1024);

        Assert.Null(problem);
        var parts = Assert.Single(call!.Input!.Messages).Parts;
        Assert.Equal([PartKind.Text, PartKind.Image], parts.Select(p => p.Kind));
        Assert.Equal("image/jpeg", parts[1].MediaType);
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], parts[1].Data!);
    }

    [Fact]
    public void A_user_message_with_only_an_image_is_accepted()
    {
        var (call, problem) = OllamaRequestReader.ParseChat(Root($$"""{"model":"m","messages":[{"role":"user","images":["{{Jpeg}}"]}]}"""), 1024);

        Assert.Null(problem);
        Assert.Equal("", call!.Message);
        Assert.Equal(PartKind.Image, Assert.Single(call.Input!.Messages[0].Parts).Kind);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, "image/png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xDB }, "image/jpeg")]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 1 }, "image/gif")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 9, 9, 9, 9, (byte)'W', (byte)'E', (byte)'B', (byte)'P' }, "image/webp")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 9, 9, 9, 9, (byte)'W', (byte)'A', (byte)'V', (byte)'E' }, null)]
    [InlineData(new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F' }, null)]
    public void The_media_type_comes_from_the_first_bytes(byte[] data, string? mediaType) =>
        Assert.Equal(mediaType, OllamaImages.MediaTypeOf(data));

    [Theory]
    [InlineData("""{"role":"user","content":"hi","tool_calls":[{"function":{"name":"f","arguments":{}}}]}""", "invalid_tool_calls")]
    [InlineData("""{"role":"assistant","content":"","tool_calls":{"function":{"name":"f"}}}""", "invalid_tool_calls")]
    [InlineData("""{"role":"assistant","content":"","tool_calls":[{"name":"f"}]}""", "invalid_tool_call")]
    [InlineData("""{"role":"assistant","content":"","tool_calls":[{"function":{"arguments":{}}}]}""", "invalid_tool_call")]
    [InlineData("""{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":"{\"a\":1}"}}]}""", "invalid_tool_call")]
    [InlineData("""{"role":"assistant","content":"","tool_calls":[{"id":5,"function":{"name":"f"}}]}""", "invalid_tool_call")]
    [InlineData("""{"role":"user","content":"hi","thinking":"hmm"}""", "invalid_message")]
    [InlineData("""{"role":"user","content":"hi","tool_name":"f"}""", "invalid_message")]
    [InlineData("""{"role":"tool","content":"1","tool_name":7}""", "invalid_message")]
    [InlineData("""{"role":"user","content":"hi","images":"abc"}""", "invalid_images")]
    [InlineData("""{"role":"user","content":"hi","images":[7]}""", "invalid_image")]
    public void A_malformed_message_is_a_400_naming_its_field(string message, string code)
    {
        var (call, problem) = OllamaRequestReader.ParseChat(Root($$"""{"model":"m","messages":[{"role":"user","content":"first"},{{message}},{"role":"user","content":"last"}]}"""), 1024);

        Assert.Null(call);
        Assert.Equal(400, problem!.Status);
        Assert.Equal(code, problem.Code);
        Assert.Contains("messages[1]", problem.Detail);
    }
}
