namespace Router.WebFront.Tests.Surfaces.OpenAi;

/// <summary>What the router cannot honour, and values out of range or of the wrong type: each a 400 naming the parameter.</summary>
public sealed class ChatRequestRefusalTests
{
    private const string User = """[{"role":"user","content":"hi"}]""";

    private static async Task AssertRefusedAsync(string body, string param, string? code = null)
    {
        var (request, error) = await ChatRequestReaderTests.ReadAsync(body);
        Assert.Null(request);
        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal(param, error.Param);
        if (code is not null) Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    private static Task AssertParameterRefusedAsync(string parameter, string param, string? code = null) =>
        AssertRefusedAsync($$"""{"model":"auto","messages":{{User}},{{parameter}}}""", param, code);

    [Theory]
    [InlineData("\"n\":2", "n", "unsupported_parameter")]
    [InlineData("\"n\":0", "n", "invalid_value")]
    [InlineData("\"logprobs\":true", "logprobs", "unsupported_parameter")]
    [InlineData("\"top_logprobs\":3", "top_logprobs", "unsupported_parameter")]
    [InlineData("\"logit_bias\":{\"50256\":-100}", "logit_bias", "unsupported_parameter")]
    [InlineData("\"audio\":{\"voice\":\"alloy\",\"format\":\"wav\"}", "audio", "unsupported_parameter")]
    [InlineData("\"modalities\":[\"text\",\"audio\"]", "modalities", "unsupported_parameter")]
    [InlineData("\"prediction\":{\"type\":\"content\",\"content\":\"x\"}", "prediction", "unsupported_parameter")]
    [InlineData("\"web_search_options\":{}", "web_search_options", "unsupported_parameter")]
    [InlineData("\"functions\":[{\"name\":\"f\"}]", "functions", "unsupported_parameter")]
    [InlineData("\"function_call\":\"auto\"", "function_call", "unsupported_parameter")]
    [InlineData("\"parallel_tool_calls\":false", "parallel_tool_calls", "unsupported_parameter")]
    [InlineData("\"store\":true", "store", "unsupported_parameter")]
    [InlineData("\"service_tier\":\"flex\"", "service_tier", "unsupported_parameter")]
    [InlineData("\"verbosity\":\"low\"", "verbosity", "unsupported_parameter")]
    [InlineData("\"frobnicate\":1", "frobnicate", "unknown_parameter")]
    public async Task A_parameter_the_router_cannot_honour_is_refused(string parameter, string param, string code) =>
        await AssertParameterRefusedAsync(parameter, param, code);

    [Theory]
    [InlineData("\"temperature\":1e39", "temperature")]
    [InlineData("\"temperature\":2.5", "temperature")]
    [InlineData("\"temperature\":-0.1", "temperature")]
    [InlineData("\"top_p\":1.5", "top_p")]
    [InlineData("\"frequency_penalty\":3", "frequency_penalty")]
    [InlineData("\"presence_penalty\":-2.5", "presence_penalty")]
    [InlineData("\"max_tokens\":0", "max_tokens")]
    [InlineData("\"max_completion_tokens\":-1", "max_completion_tokens")]
    [InlineData("\"max_tokens\":99999999999", "max_tokens")]
    [InlineData("\"max_tokens\":5,\"max_completion_tokens\":6", "max_tokens")]
    [InlineData("\"seed\":1e30", "seed")]
    [InlineData("\"top_k\":0", "top_k")]
    [InlineData("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]", "stop")]
    [InlineData("\"reasoning_effort\":\"extreme\"", "reasoning_effort")]
    [InlineData("\"top_logprobs\":21", "top_logprobs")]
    public async Task A_value_out_of_range_is_refused(string parameter, string param) =>
        await AssertParameterRefusedAsync(parameter, param, "invalid_value");

    [Theory]
    [InlineData("\"temperature\":\"hot\"", "temperature")]
    [InlineData("\"max_tokens\":2.5", "max_tokens")]
    [InlineData("\"max_tokens\":\"9\"", "max_tokens")]
    [InlineData("\"stream\":\"yes\"", "stream")]
    [InlineData("\"stop\":5", "stop")]
    [InlineData("\"stop\":[\"a\",1]", "stop[1]")]
    [InlineData("\"n\":\"2\"", "n")]
    [InlineData("\"user\":7", "user")]
    [InlineData("\"metadata\":{\"k\":1}", "metadata.k")]
    [InlineData("\"stream_options\":{\"include_usage\":1}", "stream_options.include_usage")]
    [InlineData("\"tools\":{}", "tools")]
    [InlineData("\"response_format\":\"json\"", "response_format")]
    public async Task A_value_of_the_wrong_type_is_refused(string parameter, string param) =>
        await AssertParameterRefusedAsync(parameter, param, "invalid_type");

    [Theory]
    [InlineData("\"stream_options\":{\"chunk_size\":1}", "stream_options.chunk_size")]
    [InlineData("\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"x\"}}]", "tools[0].type")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"bad name\"}}]", "tools[0].function.name")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":[]}}]", "tools[0].function.parameters")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}},{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]", "tools[1].function.name")]
    [InlineData("\"tool_choice\":\"required\"", "tool_choice")]
    [InlineData("\"tool_choice\":\"sometimes\"", "tool_choice")]
    [InlineData("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"missing\"}}", "tool_choice.function.name")]
    [InlineData("\"tool_choice\":{\"type\":\"allowed_tools\",\"allowed_tools\":{}}", "tool_choice.type")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\"}}", "response_format.json_schema.schema")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{}}}", "response_format.json_schema.name")]
    [InlineData("\"response_format\":{\"type\":\"grammar\"}", "response_format.type")]
    public async Task A_bad_tool_or_format_is_refused(string parameter, string param) =>
        await AssertParameterRefusedAsync(parameter, param);

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"m"}""", "messages")]
    [InlineData("""{"model":"m","messages":[]}""", "messages")]
    [InlineData("""{"model":"m","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"content":"hi"}]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"only"}]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":" "}]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"critic","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","messages":[{"role":"function","name":"f","content":"x"},{"role":"user","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","messages":[{"role":"user","name":"ann","content":"hi"}]}""", "messages[0].name")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi","cache_control":{}}]}""", "messages[0].cache_control")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":7}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}""", "messages[0].content[0].type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}]}""", "messages[0].content[0].image_url.url")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,abc"}}]}]}""", "messages[0].content[0].image_url.url")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:text/plain;base64,AQID"}}]}]}""", "messages[0].content[0].image_url.url")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,@@@"}}]}]}""", "messages[0].content[0].image_url.url")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"high"}}]}]}""", "messages[0].content[0].image_url.detail")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},{"role":"user","content":"hi"}]}""", "messages[0].content[0].type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant"}]}""", "messages[1].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"not json"}}]}]}""", "messages[1].tool_calls[0].function.arguments")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}]}""", "messages[1].tool_calls[0].id")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","audio":{"id":"a"}}]}""", "messages[1].audio")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"nobody","content":"x"}]}""", "messages[1].tool_call_id")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"tool","content":"x"}]}""", "messages[1].tool_call_id")]
    public async Task A_bad_message_is_refused_naming_it(string body, string param) => await AssertRefusedAsync(body, param);
}
