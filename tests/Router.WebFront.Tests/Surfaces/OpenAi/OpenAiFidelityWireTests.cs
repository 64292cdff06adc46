using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.OllamaSimulator;
using static Router.WebFront.Tests.Surfaces.OpenAi.FidelityRouterFixture;

namespace Router.WebFront.Tests.Surfaces.OpenAi;

/// <summary>
/// The exact wire shape of tool calls, reasoning and finish reasons on <c>/v1/chat/completions</c>, read
/// as raw text: what clients other than the official one (DeepSeek-, vLLM- and LiteLLM-style readers) parse.
/// </summary>
[Collection(FidelityRouterCollection.Name)]
public sealed class OpenAiFidelityWireTests(FidelityRouterFixture fixture)
{
    private const string WeatherTool = """{"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""";

    /// <summary>How the router escapes strings (as OpenAI does: quotes in arguments as <c>\"</c>, not <c>\u0022</c>).</summary>
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private async Task<HttpResponseMessage> PostAsync(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        return await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Timeouts.Token());
    }

    private static string Chat(string model, string content, bool stream, string extra = "") =>
        $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":{{JsonSerializer.Serialize(content)}}}]{{extra}}}""";

    /// <summary>The <c>data:</c> payloads of an SSE body, in order.</summary>
    private static async Task<List<string>> DataLinesAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Timeouts.Token());
        return body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).ToList();
    }

    private static JsonElement Delta(string data) => JsonDocument.Parse(data).RootElement.GetProperty("choices")[0].GetProperty("delta");

    [Theory]
    [InlineData(OllamaTools)]
    [InlineData(RouterFixture.UpstreamModel)]
    public async Task A_streamed_tool_call_is_one_delta_with_index_id_type_name_and_arguments_then_finish_reason_tool_calls(string model)
    {
        var nonce = Guid.NewGuid().ToString("N");
        using var response = await PostAsync(Chat(model, $"weather {nonce}", stream: true, $",\"tools\":[{WeatherTool}]"));
        Assert.Equal(200, (int)response.StatusCode);
        var data = await DataLinesAsync(response);
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        var answered = Assert.Single(simulated.AnsweredToolCalls);

        Assert.Equal("[DONE]", data[^1]);
        Assert.Equal("""{"role":"assistant","content":""}""", Delta(data[0]).GetRawText());
        var callChunk = Assert.Single(data, d => d.Contains("\"tool_calls\":[", StringComparison.Ordinal));
        var call = Assert.Single(Delta(callChunk).GetProperty("tool_calls").EnumerateArray());
        var id = call.GetProperty("id").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        var arguments = call.GetProperty("function").GetProperty("arguments").GetString()!;
        Assert.Equal(
            $$$"""{"index":0,"id":"{{{id}}}","type":"function","function":{"name":"get_weather","arguments":{{{JsonSerializer.Serialize(arguments, Relaxed)}}}}}""",
            call.GetRawText());
        Assert.Equal(JsonDocument.Parse(answered.ArgumentsJson).RootElement.GetProperty("city").GetString(), JsonDocument.Parse(arguments).RootElement.GetProperty("city").GetString());
        Assert.Contains("\"finish_reason\":null", callChunk, StringComparison.Ordinal);

        var finish = JsonDocument.Parse(data[^2]).RootElement.GetProperty("choices")[0];
        Assert.Equal("{}", finish.GetProperty("delta").GetRawText());
        Assert.Equal("tool_calls", finish.GetProperty("finish_reason").GetString());
        Assert.DoesNotContain(data[..^1], d => Delta(d).TryGetProperty("content", out var c) && c.GetString()?.Length > 0);
    }

    [Theory]
    [InlineData(OllamaTools)]
    [InlineData(RouterFixture.UpstreamModel)]
    public async Task A_plain_tool_call_answer_has_null_content_the_calls_and_finish_reason_tool_calls(string model)
    {
        var nonce = Guid.NewGuid().ToString("N");
        using var response = await PostAsync(Chat(model, $"weather {nonce}", stream: false, $",\"tools\":[{WeatherTool}],\"tool_choice\":\"required\""));
        Assert.Equal(200, (int)response.StatusCode);
        var choice = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeouts.Token())).RootElement.GetProperty("choices")[0];

        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        Assert.False(message.TryGetProperty("reasoning_content", out _));
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal(0, call.GetProperty("index").GetInt32());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.String, call.GetProperty("function").GetProperty("arguments").ValueKind);
        // Ollama's API has no tool choice; an upstream gets it as sent.
        if (model != OllamaTools) Assert.Equal("required", (await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event)).Content.ToolChoice);
    }

    [Theory]
    [InlineData(OllamaThinking)]
    [InlineData(UpstreamThinking)]
    public async Task Streamed_reasoning_is_in_reasoning_content_deltas_of_its_own_before_the_content(string model)
    {
        var nonce = Guid.NewGuid().ToString("N");
        using var response = await PostAsync(Chat(model, $"think {nonce} [[sim:tokens=4,thinking=3]]", stream: true, ",\"reasoning_effort\":\"high\""));
        Assert.Equal(200, (int)response.StatusCode);
        var deltas = (await DataLinesAsync(response))[1..^2].Select(Delta).ToList();

        // Each delta carries one field: reasoning_content first, then content; never both.
        Assert.All(deltas, d => Assert.Single(d.EnumerateObject()));
        var reasoning = deltas.TakeWhile(d => d.TryGetProperty("reasoning_content", out _)).ToList();
        var content = deltas.Skip(reasoning.Count).ToList();
        Assert.Equal(SimulatedText.Thinking(3), string.Concat(reasoning.Select(d => d.GetProperty("reasoning_content").GetString())));
        Assert.Equal(SimulatedText.Text(4), string.Concat(content.Select(d => d.GetProperty("content").GetString())));
        Assert.Equal($$$"""{"reasoning_content":{{{JsonSerializer.Serialize(reasoning[0].GetProperty("reasoning_content").GetString(), Relaxed)}}}}""", reasoning[0].GetRawText());
    }

    [Theory]
    [InlineData(OllamaThinking)]
    [InlineData(UpstreamThinking)]
    public async Task A_plain_answer_carries_reasoning_content_apart_from_the_content(string model)
    {
        var nonce = Guid.NewGuid().ToString("N");
        using var response = await PostAsync(Chat(model, $"think {nonce} [[sim:tokens=4,thinking=3]]", stream: false, ",\"reasoning_effort\":\"low\""));
        Assert.Equal(200, (int)response.StatusCode);
        var choice = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeouts.Token())).RootElement.GetProperty("choices")[0];

        Assert.Equal(SimulatedText.Thinking(3), choice.GetProperty("message").GetProperty("reasoning_content").GetString());
        Assert.Equal(SimulatedText.Text(4), choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_streamed_answer_cut_by_max_tokens_finishes_with_length()
    {
        using var response = await PostAsync(Chat(OllamaTools, "long [[sim:tokens=10]]", stream: true, ",\"max_tokens\":2,\"stream_options\":{\"include_usage\":true}"));
        var data = await DataLinesAsync(response);

        Assert.Equal("length", JsonDocument.Parse(data[^3]).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(2, JsonDocument.Parse(data[^2]).RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task A_refusal_by_the_backend_before_any_token_is_an_http_400_even_when_streaming()
    {
        const string image = "[{\"type\":\"text\",\"text\":\"look\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]";
        using var response = await PostAsync($$"""{"model":"{{OllamaTools}}","stream":true,"messages":[{"role":"user","content":{{image}}}]}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeouts.Token())).RootElement.GetProperty("error");
        Assert.Equal("backend_refused", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_refusal_names_the_parameter_in_openais_error_shape()
    {
        using var response = await PostAsync(Chat(OllamaTools, "hi", stream: true, ",\"n\":2"));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(
            """{"error":{"message":"Only one choice per request is supported ('n': 1).","type":"invalid_request_error","param":"n","code":"unsupported_parameter"}}""",
            await response.Content.ReadAsStringAsync(Timeouts.Token()));
    }
}
