using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Surfaces.Anthropic;

namespace Router.WebFront.Tests.Surfaces.Anthropic;

/// <summary>How a Messages body becomes the conversation, tools and settings the core carries.</summary>
public sealed class AnthropicRequestReaderTests
{
    private static MessagesRequest Read(string json)
    {
        var (request, error) = AnthropicRequestReader.ParseMessages(JsonDocument.Parse(json).RootElement);
        Assert.Null(error);
        return request!;
    }

    [Fact]
    public void A_tool_round_trip_becomes_an_assistant_call_then_a_tool_message_with_the_tools_name()
    {
        var request = Read("""
            {"model":"auto","max_tokens":10,
             "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Use tools."}],
             "tools":[{"name":"lookup","input_schema":{"type":"object"}}],
             "tool_choice":{"type":"tool","name":"lookup"},
             "messages":[
               {"role":"user","content":"Find it"},
               {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"s"},{"type":"text","text":"Looking."},{"type":"tool_use","id":"t1","name":"lookup","input":{"q":"x"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"none"}],"is_error":true},{"type":"text","text":"Go on"}]}]}
            """);

        var messages = request.Input.Messages;
        Assert.Equal(["system", "user", "assistant", "tool", "user"], messages.Select(m => m.Role));
        Assert.Equal(["Be brief.", "Use tools."], messages[0].Parts.Select(p => p.Text));
        Assert.Equal([PartKind.Reasoning, PartKind.Text, PartKind.ToolCall], messages[2].Parts.Select(p => p.Kind));
        Assert.Equal(("t1", "lookup", """{"q":"x"}"""), (messages[2].Parts[2].CallId, messages[2].Parts[2].Name, messages[2].Parts[2].Arguments));
        Assert.Equal(new MessagePart(PartKind.ToolResult, Text: "Error: none", CallId: "t1", Name: "lookup"), messages[3].Parts.Single());
        Assert.Equal("Go on", request.RoutingText);
        Assert.Equal(new ToolChoice(ToolChoice.Function, "lookup"), request.Input.ToolChoice);
        Assert.Equal("lookup", Assert.Single(request.Input.Tools!).Name);
    }

    [Fact]
    public void In_a_tool_loop_the_router_routes_on_the_text_that_started_it_so_the_loop_keeps_its_model()
    {
        var request = Read("""
            {"model":"auto","max_tokens":10,"messages":[
               {"role":"user","content":"Find it"},
               {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"lookup","input":{}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"found"}]}]}
            """);

        Assert.Equal("Find it", request.RoutingText);
    }

    [Fact]
    public void Without_any_user_text_the_router_routes_on_the_last_tool_result()
    {
        var request = Read("""
            {"model":"auto","max_tokens":10,"messages":[
               {"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}}]},
               {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"lookup","input":{}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"found"}]}]}
            """);

        Assert.Equal("found", request.RoutingText);
    }

    [Theory]
    [InlineData("""{"type":"enabled","budget_tokens":2048}""", null, "on")]
    [InlineData("""{"type":"disabled"}""", """{"effort":"high"}""", "off")]
    [InlineData("""{"type":"adaptive"}""", null, null)]
    [InlineData("""{"type":"enabled","budget_tokens":2048}""", """{"effort":"low"}""", "low")]
    [InlineData(null, """{"effort":"max"}""", "high")]
    public void Thinking_and_effort_set_the_reasoning(string? thinking, string? outputConfig, string? reasoning)
    {
        var extra = (thinking is null ? "" : $",\"thinking\":{thinking}") + (outputConfig is null ? "" : $",\"output_config\":{outputConfig}");
        var request = Read($$"""{"model":"auto","max_tokens":10{{extra}},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(reasoning, request.Settings.Reasoning);
    }

    [Fact]
    public void Sampling_settings_and_a_json_schema_are_carried()
    {
        var request = Read("""
            {"model":"auto","max_tokens":42,"temperature":0.5,"top_p":0.9,"top_k":40,"stop_sequences":["END"],
             "output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}},
             "metadata":{"user_id":"u-1"},"service_tier":"auto",
             "messages":[{"role":"user","content":"hi"}]}
            """);

        Assert.Equal(new GenerationSettings(0.5f, 0.9f, 42, request.Settings.Stop, TopK: 40), request.Settings);
        Assert.Equal(["END"], request.Settings.Stop!);
        Assert.Equal(new OutputFormat(OutputFormat.JsonSchema, """{"type":"object"}"""), request.Input.Format);
    }

    [Theory]
    [InlineData("""{"model":"auto","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens: must be between 1")]
    [InlineData("""{"model":"auto","max_tokens":10,"metadata":{"user_id":"u","tier":"x"},"messages":[{"role":"user","content":"hi"}]}""", "metadata.tier: Extra inputs are not permitted")]
    [InlineData("""{"model":"auto","max_tokens":10,"messages":[{"role":"user","content":[{"type":"text","text":"a","citations":[{"type":"char_location"}]}]}]}""", "messages.0.content.0.citations")]
    [InlineData("""{"model":"auto","max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/bmp","data":"AA=="}}]}]}""", "messages.0.content.0.source.media_type")]
    [InlineData("""{"model":"auto","max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"%%%"}}]}]}""", "messages.0.content.0.source.data: is not valid base64")]
    [InlineData("""{"model":"auto","max_tokens":10,"messages":[{"role":"assistant","content":[{"type":"redacted_thinking","data":"x"}]},{"role":"user","content":"hi"}]}""", "redacted_thinking")]
    [InlineData("""{"model":"auto","max_tokens":10,"thinking":{"type":"enabled"},"messages":[{"role":"user","content":"hi"}]}""", "thinking.budget_tokens: Field required")]
    [InlineData("""{"model":"auto","max_tokens":10,"tool_choice":{"type":"any"},"messages":[{"role":"user","content":"hi"}]}""", "tool_choice: type \"any\" needs tools")]
    [InlineData("""{"model":"auto","max_tokens":10,"tools":[{"name":"a","input_schema":{},"defer_loading":true}],"messages":[{"role":"user","content":"hi"}]}""", "tools.0.defer_loading: Extra inputs are not permitted")]
    public void What_cannot_be_honoured_is_refused_naming_the_field(string json, string expected)
    {
        var (request, error) = AnthropicRequestReader.ParseMessages(JsonDocument.Parse(json).RootElement);

        Assert.Null(request);
        Assert.Equal((400, "invalid_request_error"), (error!.Status, error.Type));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Count_tokens_takes_no_max_tokens()
    {
        var (_, error) = AnthropicRequestReader.ParseCount(JsonDocument.Parse("""{"model":"auto","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""").RootElement);

        Assert.Contains("max_tokens: Extra inputs are not permitted", error!.Message);
    }
}
