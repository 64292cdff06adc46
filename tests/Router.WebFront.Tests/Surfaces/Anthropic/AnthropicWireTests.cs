using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.Anthropic;

/// <summary>The exact wire format of <c>/v1/messages</c>, read with a raw HTTP client.</summary>
[Collection(AnthropicRouterCollection.Name)]
public sealed class AnthropicWireTests(AnthropicRouterFixture fixture)
{
    private async Task<HttpResponseMessage> PostAsync(string path, string body, Action<HttpRequestMessage>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("anthropic-version", "2023-06-01");
        headers?.Invoke(request);
        return await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Timeouts.Token());
    }

    private static string Ask(string text, bool stream, string extra = "") =>
        $$"""{"model":"claude-sonnet-4-5","max_tokens":100,"stream":{{(stream ? "true" : "false")}}{{extra}},"messages":[{"role":"user","content":{{JsonSerializer.Serialize(text)}}}]}""";

    /// <summary>
    /// The events of an SSE body as (event name, data) pairs, after checking each data's <c>type</c> is
    /// its event name; without the pings, which come whenever the model is silent for a keep-alive interval.
    /// </summary>
    private static async Task<List<(string Event, string Data)>> EventsAsync(HttpResponseMessage response) =>
        [.. (await AllEventsAsync(response)).Where(e => e.Event != "ping")];

    private static async Task<List<(string Event, string Data)>> AllEventsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Timeouts.Token());
        var events = new List<(string, string)>();
        foreach (var frame in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = frame.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            var name = lines[0]["event: ".Length..];
            var data = lines[1]["data: ".Length..];
            Assert.Equal(name, JsonDocument.Parse(data).RootElement.GetProperty("type").GetString());
            events.Add((name, data));
        }

        return events;
    }

    /// <summary>The event names with runs of content_block_delta collapsed to one (a slow reader gets tokens coalesced into fewer deltas).</summary>
    private static List<string> Shape(IEnumerable<(string Event, string Data)> events)
    {
        var shape = new List<string>();
        foreach (var (name, _) in events)
        {
            if (name == "content_block_delta" && shape.Count > 0 && shape[^1] == "content_block_delta+") continue;
            shape.Add(name == "content_block_delta" ? "content_block_delta+" : name);
        }

        return shape;
    }

    private static string TextOf(IEnumerable<(string Event, string Data)> events) => string.Concat(events
        .Where(e => e.Event == "content_block_delta")
        .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta"))
        .Select(d => d.GetProperty("type").GetString() == "text_delta" ? d.GetProperty("text").GetString() : ""));

    [Fact]
    public async Task A_text_stream_is_message_start_one_text_block_message_delta_and_message_stop()
    {
        using var response = await PostAsync("/v1/messages", Ask("wire [[sim:tokens=3]]", stream: true));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var requestId = response.Headers.GetValues("request-id").Single();
        var events = await EventsAsync(response);

        Assert.Equal(["message_start", "content_block_start", "content_block_delta+", "content_block_stop", "message_delta", "message_stop"], Shape(events));
        var message = JsonDocument.Parse(events[0].Data).RootElement.GetProperty("message");
        Assert.Equal("msg_" + requestId["req_".Length..], message.GetProperty("id").GetString());
        Assert.Equal("llama3.2", message.GetProperty("model").GetString());
        Assert.Equal("[]", message.GetProperty("content").GetRawText());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("stop_reason").ValueKind);
        Assert.Equal("""{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""", events[1].Data);
        Assert.StartsWith($$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"{{{SimulatedText.Token(0)}}}""", events[2].Data);
        Assert.Equal(SimulatedText.Text(3), TextOf(events));
        Assert.Equal("""{"type":"content_block_stop","index":0}""", events[^3].Data);
        Assert.Matches("""^\{"type":"message_delta","delta":\{"stop_reason":"end_turn","stop_sequence":null\},"usage":\{"input_tokens":\d+,"output_tokens":3\}\}$""", events[^2].Data);
        Assert.Equal("""{"type":"message_stop"}""", events[^1].Data);
    }

    [Fact]
    public async Task A_tool_use_stream_is_one_tool_use_block_with_input_json_deltas_and_stop_reason_tool_use()
    {
        const string tools = ""","tools":[{"name":"get_weather","description":"The weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]""";
        using var response = await PostAsync("/v1/messages", Ask("weather in Rome", stream: true, tools));
        var events = await EventsAsync(response);

        Assert.Equal("message_start", events[0].Event);
        Assert.Equal("content_block_start", events[1].Event);
        Assert.Matches("""^\{"type":"content_block_start","index":0,"content_block":\{"type":"tool_use","id":"[^"]+","name":"get_weather","input":\{\},"caller":\{"type":"direct"\}\}\}$""", events[1].Data);
        var deltas = events.Skip(2).TakeWhile(e => e.Event == "content_block_delta").ToList();
        Assert.NotEmpty(deltas);
        var json = string.Concat(deltas.Select(d =>
        {
            var delta = JsonDocument.Parse(d.Data).RootElement.GetProperty("delta");
            Assert.Equal("input_json_delta", delta.GetProperty("type").GetString());
            return delta.GetProperty("partial_json").GetString();
        }));
        Assert.Equal("value", JsonDocument.Parse(json).RootElement.GetProperty("city").GetString());
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], events.Skip(2 + deltas.Count).Select(e => e.Event));
        Assert.Contains("\"stop_reason\":\"tool_use\"", events[^2].Data);
    }

    [Fact]
    public async Task A_failure_mid_stream_is_an_error_event_with_no_block_stop_or_message_stop_after_it()
    {
        using var response = await PostAsync("/v1/messages", Ask("fail [[sim:fail=2]]", stream: true));
        Assert.Equal(200, (int)response.StatusCode);
        var requestId = response.Headers.GetValues("request-id").Single();
        var events = await EventsAsync(response);

        Assert.Equal(["message_start", "content_block_start", "content_block_delta+", "error"], Shape(events));
        Assert.Equal(SimulatedText.Text(2), TextOf(events));
        var error = JsonDocument.Parse(events[^1].Data).RootElement;
        Assert.Equal("api_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("error").GetProperty("message").GetString()));
        Assert.Equal(requestId, error.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task While_the_model_is_silent_the_stream_sends_pings()
    {
        // The keep-alive interval is 200 ms in these tests; the first token comes after a second.
        using var response = await PostAsync("/v1/messages", Ask("slow [[sim:ttft=1000,tokens=2]]", stream: true));
        var events = await AllEventsAsync(response);

        Assert.Equal("message_start", events[0].Event);
        Assert.Equal(("ping", """{"type":"ping"}"""), events[1]);
        Assert.Equal("message_stop", events[^1].Event);
    }

    [Fact]
    public async Task A_plain_answer_is_one_message_object()
    {
        using var response = await PostAsync("/v1/messages", Ask("plain [[sim:tokens=2]]", stream: false));
        Assert.Equal(200, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Timeouts.Token());
        var id = "msg_" + response.Headers.GetValues("request-id").Single()["req_".Length..];

        Assert.Matches(
            $$"""^\{"id":"{{id}}","type":"message","role":"assistant","model":"llama3.2","content":\[\{"type":"text","text":"{{SimulatedText.Text(2)}}"\}\],"stop_reason":"end_turn","stop_sequence":null,"usage":\{"input_tokens":\d+,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":2,"server_tool_use":null,"service_tier":"standard"\}\}$""",
            body);
    }

    [Theory]
    [InlineData("""{"model":"claude-x","messages":[{"role":"user","content":"hi"}]}""", "max_tokens: Field required")]
    [InlineData("""{"model":"claude-x","max_tokens":10,"top_logprobs":2,"messages":[{"role":"user","content":"hi"}]}""", "top_logprobs: Extra inputs are not permitted")]
    [InlineData("""{"model":"claude-x","max_tokens":10,"temperature":1.5,"messages":[{"role":"user","content":"hi"}]}""", "temperature: must be between 0 and 1")]
    [InlineData("""{"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":[{"type":"document","source":{}}]}]}""", "messages.0.content.0.type: \"document\" blocks are not supported")]
    [InlineData("""{"model":"claude-x","max_tokens":10,"tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[{"role":"user","content":"hi"}]}""", "tools.0.type: \"web_search_20250305\" is a server tool")]
    [InlineData("""{"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"Sure,"}]}""", "the last message must have the role \"user\"")]
    [InlineData("""{"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"x"}]}]}""", "messages.0.content.0.tool_use_id: no earlier tool_use block")]
    [InlineData("""{"model":"claude-x","max_tokens":10,"tool_choice":{"type":"auto","disable_parallel_tool_use":true},"messages":[{"role":"user","content":"hi"}]}""", "tool_choice.disable_parallel_tool_use")]
    [InlineData("""{"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]}""", "only \"base64\" images are supported")]
    public async Task What_cannot_be_honoured_is_a_400_invalid_request_error_naming_it(string body, string expected)
    {
        using var response = await PostAsync("/v1/messages", body);

        Assert.Equal(400, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeouts.Token())).RootElement;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(expected, error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_not_found_error_in_anthropics_shape()
    {
        using var response = await PostAsync("/v1/messages", """{"model":"gpt-4o","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal(
            """{"type":"error","error":{"type":"not_found_error","message":"model: 'gpt-4o' is not served by this router and matches no alias (Models:Aliases)."}}""",
            await response.Content.ReadAsStringAsync(Timeouts.Token()));
    }

    [Fact]
    public async Task Count_tokens_answers_input_tokens_only()
    {
        using var response = await PostAsync("/v1/messages/count_tokens", """{"model":"claude-x","messages":[{"role":"user","content":"12345678"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("""{"input_tokens":3}""", await response.Content.ReadAsStringAsync(Timeouts.Token()));
    }

    [Fact]
    public async Task The_routing_dry_run_resolves_aliases_as_the_surface_does()
    {
        using var named = await PostAsync("/v1/route", """{"model":"claude-opus-4-1","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");
        using var routed = await PostAsync("/v1/route", """{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":[{"type":"text","text":"hello there"}]}]}""");
        using var unknown = await PostAsync("/v1/route", """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""");

        var namedBody = JsonDocument.Parse(await named.Content.ReadAsStringAsync(Timeouts.Token())).RootElement;
        Assert.Equal(("qwen3", "named"), (namedBody.GetProperty("model").GetString(), namedBody.GetProperty("tier").GetString()));
        var routedBody = JsonDocument.Parse(await routed.Content.ReadAsStringAsync(Timeouts.Token())).RootElement;
        Assert.Equal(200, (int)routed.StatusCode);
        Assert.Equal("llama3.2", routedBody.GetProperty("model").GetString());
        Assert.Equal("conversation", routedBody.GetProperty("category").GetString());
        Assert.Equal(404, (int)unknown.StatusCode);
    }
}
