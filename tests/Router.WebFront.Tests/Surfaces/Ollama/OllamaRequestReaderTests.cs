using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Surfaces.Ollama;

namespace Router.WebFront.Tests.Surfaces.Ollama;

public sealed class OllamaRequestReaderTests
{
    private const int MaxMessage = 64;

    private static JsonElement Root(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void A_chat_routes_on_the_last_user_message_and_gives_the_model_the_whole_conversation()
    {
        var (call, problem) = OllamaRequestReader.ParseChat(Root("""
            {"model":"llama3.2","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"},
             {"role":"assistant","content":"hello"},{"role":"USER","content":"and now?"}],"stream":false}
            """), MaxMessage);

        Assert.Null(problem);
        Assert.NotNull(call);
        Assert.Equal(OllamaOperation.Chat, call.Operation);
        Assert.Equal("llama3.2", call.Model);
        Assert.Equal("and now?", call.Message);
        Assert.Equal(["system", "user", "assistant", "user"], call.Input!.Messages.Select(t => t.Role));
        Assert.Equal(["be brief", "hi", "hello", "and now?"], call.Input.Messages.Select(t => t.Text));
        Assert.Null(call.Input.Tools);
        Assert.Null(call.Input.Format);
        Assert.False(call.Stream);
    }

    [Theory]
    [InlineData("""{"model":"llama3.2"}""")]
    [InlineData("""{"model":"llama3.2","messages":null}""")]
    [InlineData("""{"model":"llama3.2","messages":[]}""")]
    public void A_chat_without_messages_is_a_load_request_with_no_message(string body)
    {
        var (call, problem) = OllamaRequestReader.ParseChat(Root(body), MaxMessage);
        Assert.Null(problem);
        Assert.Null(call!.Message);
        Assert.Null(call.Input);
        Assert.True(call.Stream);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model_missing")]
    [InlineData("""{"model":" ","messages":[{"role":"user","content":"hi"}]}""", "model_missing")]
    [InlineData("""{"model":7,"messages":[{"role":"user","content":"hi"}]}""", "model_missing")]
    [InlineData("""{"model":"m","messages":{"role":"user"}}""", "invalid_messages")]
    [InlineData("""{"model":"m","messages":["hi"]}""", "invalid_message")]
    [InlineData("""{"model":"m","messages":[{"content":"hi"}]}""", "invalid_message")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":3}]}""", "invalid_message")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"a"}]}""", "last_message_not_user")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"system","content":"a"}]}""", "last_message_not_user")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"a"},{"role":"tool","content":"42"}]}""", "no_user_message")]
    [InlineData("""{"model":"m","messages":[{"role":"developer","content":"hi"}]}""", "invalid_role")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"template":"{{ .Prompt }}"}""", "unsupported_field")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"logprobs":true}""", "unsupported_field")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"top_logprobs":3}""", "unsupported_field")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"truncate":false}""", "unsupported_field")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"shift":false}""", "unsupported_field")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"_debug_render_only":true}""", "unsupported_field")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"format":"yaml"}""", "invalid_format")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"format":["json"]}""", "invalid_format")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":{}}""", "invalid_tools")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":""}}]}""", "invalid_tools")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"retrieval","function":{"name":"f"}}]}""", "invalid_tools")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"function":{"name":"f","parameters":"{}"}}]}""", "invalid_tools")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"  "}]}""", "message_empty")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "invalid_stream")]
    public void A_bad_chat_is_a_400_naming_what_is_wrong(string body, string code)
    {
        var (call, problem) = OllamaRequestReader.ParseChat(Root(body), MaxMessage);
        Assert.Null(call);
        Assert.Equal(400, problem?.Status);
        Assert.Equal(code, problem?.Code);
    }

    [Fact]
    public void A_message_over_the_limit_is_a_413()
    {
        var body = JsonSerializer.Serialize(new { model = "m", messages = new[] { new { role = "user", content = new string('é', MaxMessage / 2 + 1) } } });
        var (_, problem) = OllamaRequestReader.ParseChat(Root(body), MaxMessage);
        Assert.Equal(413, problem?.Status);
        Assert.Equal("message_too_large", problem?.Code);
    }

    [Fact]
    public void A_generate_takes_the_prompt_and_puts_the_system_text_before_it()
    {
        var (call, problem) = OllamaRequestReader.ParseGenerate(Root("""{"model":"m","prompt":"why?","system":"be kind"}"""), MaxMessage);
        Assert.Null(problem);
        Assert.Equal(OllamaOperation.Generate, call!.Operation);
        Assert.Equal("why?", call.Message);
        Assert.Equal([("system", "be kind"), ("user", "why?")], call.Input!.Messages.Select(m => (m.Role, m.Text)));
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":1}""", "invalid_prompt")]
    [InlineData("""{"model":"m","prompt":"hi","system":false}""", "invalid_prompt")]
    [InlineData("""{"model":"m","prompt":"   "}""", "message_empty")]
    [InlineData("""{"prompt":"hi"}""", "model_missing")]
    [InlineData("""{"model":"m","prompt":"def f(","suffix":"return 1"}""", "unsupported_field")]
    [InlineData("""{"model":"m","prompt":"hi","template":"{{ .Prompt }}"}""", "unsupported_field")]
    [InlineData("""{"model":"m","prompt":"hi","raw":true}""", "unsupported_field")]
    [InlineData("""{"model":"m","prompt":"hi","context":[1,2,3]}""", "unsupported_field")]
    [InlineData("""{"model":"m","prompt":"hi","images":["not base64!"]}""", "invalid_image")]
    [InlineData("""{"model":"m","prompt":"hi","images":["aGVsbG8="]}""", "unsupported_image")]
    public void A_bad_generate_is_a_400(string body, string code)
    {
        var (_, problem) = OllamaRequestReader.ParseGenerate(Root(body), MaxMessage);
        Assert.Equal(code, problem?.Code);
    }

    [Fact]
    public void A_generate_with_default_values_of_the_fields_it_cannot_honour_is_accepted()
    {
        var (call, problem) = OllamaRequestReader.ParseGenerate(Root("""
            {"model":"m","prompt":"hi","suffix":"","template":"","raw":false,"context":[],"logprobs":false,"top_logprobs":0,"truncate":true,"shift":true}
            """), MaxMessage);

        Assert.Null(problem);
        Assert.Equal("hi", call!.Message);
    }

    [Fact]
    public void A_generate_with_images_and_a_schema_gives_them_to_the_user_message()
    {
        var png = Convert.ToBase64String([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]);
        var (call, problem) = OllamaRequestReader.ParseGenerate(Root($$"""
            {"model":"m","prompt":"what is this?","images":["{{png}}"],"format":{"type":"object"},"think":"high"}
            """), MaxMessage);

        Assert.Null(problem);
        var user = Assert.Single(call!.Input!.Messages);
        Assert.Equal([PartKind.Text, PartKind.Image], user.Parts.Select(p => p.Kind));
        Assert.Equal("image/png", user.Parts[1].MediaType);
        Assert.Equal(11, user.Parts[1].Data!.Length);
        Assert.Equal(new OutputFormat(OutputFormat.JsonSchema, """{"type":"object"}"""), call.Input.Format);
        Assert.Equal("high", call.Settings!.Reasoning);
    }

    [Fact]
    public void A_generate_without_a_prompt_is_a_load_request()
    {
        var (call, problem) = OllamaRequestReader.ParseGenerate(Root("""{"model":"m"}"""), MaxMessage);
        Assert.Null(problem);
        Assert.Null(call!.Message);
        Assert.Null(call.Input);
    }

    [Theory]
    [InlineData("""{"model":"llama3.2"}""", "llama3.2", null)]
    [InlineData("""{"name":"llama3.2"}""", "llama3.2", null)]
    [InlineData("""{"model":"","name":"llama3.2"}""", null, "model_missing")]
    [InlineData("{}", null, "model_missing")]
    public void Show_takes_the_model_or_the_older_name_field(string body, string? model, string? code)
    {
        var (name, problem) = OllamaRequestReader.ParseShow(Root(body));
        Assert.Equal(model, name);
        Assert.Equal(code, problem?.Code);
    }
}
