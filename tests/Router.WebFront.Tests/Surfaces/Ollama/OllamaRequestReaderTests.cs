using System.Text.Json;
using Router.WebFront.Surfaces.Ollama;

namespace Router.WebFront.Tests.Surfaces.Ollama;

public sealed class OllamaRequestReaderTests
{
    private const int MaxMessage = 64;

    private static JsonElement Root(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void A_chat_gives_the_last_user_message_and_the_turns_before_it()
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
        Assert.Equal(["system", "user", "assistant"], call.Context.Select(t => t.Role));
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
        var system = Assert.Single(call.Context);
        Assert.Equal(("system", "be kind"), (system.Role, system.Content));
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":1}""", "invalid_prompt")]
    [InlineData("""{"model":"m","prompt":"hi","system":false}""", "invalid_prompt")]
    [InlineData("""{"model":"m","prompt":"   "}""", "message_empty")]
    [InlineData("""{"prompt":"hi"}""", "model_missing")]
    public void A_bad_generate_is_a_400(string body, string code)
    {
        var (_, problem) = OllamaRequestReader.ParseGenerate(Root(body), MaxMessage);
        Assert.Equal(code, problem?.Code);
    }

    [Fact]
    public void A_generate_without_a_prompt_is_a_load_request()
    {
        var (call, problem) = OllamaRequestReader.ParseGenerate(Root("""{"model":"m"}"""), MaxMessage);
        Assert.Null(problem);
        Assert.Null(call!.Message);
        Assert.Empty(call.Context);
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
