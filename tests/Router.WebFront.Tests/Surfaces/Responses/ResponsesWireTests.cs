using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Router.WebFront.Tests.Surfaces.Responses;

/// <summary>The exact wire format of <c>POST /v1/responses</c>, read with a raw HTTP client: the event sequences and the error shape.</summary>
[Collection(ResponsesRouterCollection.Name)]
public sealed class ResponsesWireTests(ResponsesRouterFixture fixture)
{
    private const string Tools = """[{"type":"function","name":"get_weather","description":"Weather in a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]""";

    private async Task<HttpResponseMessage> PostAsync(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses")
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("X-User-Id", "wire");
        return await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Timeouts.Token());
    }

    /// <summary>The events of an SSE body: each one's <c>event:</c> name must repeat its data's type, and sequence numbers count from 0.</summary>
    private static async Task<List<(string Type, JsonElement Data)>> EventsAsync(HttpResponseMessage response)
    {
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(Timeouts.Token());
        var events = new List<(string, JsonElement)>();
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            if (lines.All(l => l.StartsWith(':'))) continue;
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            var data = JsonDocument.Parse(lines[1][6..]).RootElement.Clone();
            Assert.Equal(lines[0][7..], data.GetProperty("type").GetString());
            Assert.Equal(events.Count, data.GetProperty("sequence_number").GetInt32());
            events.Add((lines[0][7..], data));
        }

        return events;
    }

    /// <summary>The event types with each run of one delta type written once, followed by <c>+</c>.</summary>
    private static List<string> Shape(List<(string Type, JsonElement Data)> events)
    {
        var shape = new List<string>();
        foreach (var (type, _) in events)
        {
            if (type.EndsWith(".delta", StringComparison.Ordinal))
            {
                if (shape.Count == 0 || shape[^1] != type + "+") shape.Add(type + "+");
                continue;
            }

            shape.Add(type);
        }

        return shape;
    }

    [Fact]
    public async Task A_text_answer_streams_in_the_apis_order()
    {
        using var response = await PostAsync("""{"model":"llama3.2","stream":true,"input":"wire text [[sim:tokens=5]]"}""");
        var events = await EventsAsync(response);

        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta+", "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
            ],
            Shape(events));
        Assert.Equal("in_progress", events[0].Data.GetProperty("response").GetProperty("status").GetString());
        var item = events[2].Data.GetProperty("item");
        Assert.Equal("message", item.GetProperty("type").GetString());
        Assert.Equal("assistant", item.GetProperty("role").GetString());
        var itemId = item.GetProperty("id").GetString();
        Assert.All(events.Where(e => e.Type.StartsWith("response.output_text", StringComparison.Ordinal)), e => Assert.Equal(itemId, e.Data.GetProperty("item_id").GetString()));
        var text = string.Concat(events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString()));
        Assert.Equal(OllamaSimulator.SimulatedText.Text(5), text);
        Assert.Equal(text, events.Single(e => e.Type == "response.output_text.done").Data.GetProperty("text").GetString());

        var completed = events[^1].Data.GetProperty("response");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(events[0].Data.GetProperty("response").GetProperty("id").GetString(), completed.GetProperty("id").GetString());
        Assert.Equal(text, completed.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(5, completed.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task A_tool_call_streams_as_a_function_call_item_with_argument_deltas()
    {
        using var response = await PostAsync($$"""{"model":"llama3.2","stream":true,"input":"wire tool","tools":{{Tools}}}""");
        var events = await EventsAsync(response);

        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.function_call_arguments.delta+",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed",
            ],
            Shape(events));
        var added = events[2].Data.GetProperty("item");
        Assert.Equal("function_call", added.GetProperty("type").GetString());
        Assert.Equal("get_weather", added.GetProperty("name").GetString());
        Assert.Equal("", added.GetProperty("arguments").GetString());
        var done = events[^2].Data.GetProperty("item");
        Assert.Equal(added.GetProperty("call_id").GetString(), done.GetProperty("call_id").GetString());
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var arguments = events.Single(e => e.Type == "response.function_call_arguments.done").Data.GetProperty("arguments").GetString()!;
        Assert.Equal("value", JsonDocument.Parse(arguments).RootElement.GetProperty("city").GetString());
        Assert.Equal(arguments, done.GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task Reasoning_streams_as_its_own_item_before_the_message()
    {
        using var response = await PostAsync("""{"model":"deepseek-r1","stream":true,"reasoning":{"effort":"medium"},"input":"wire think [[sim:thinking=3,tokens=3]]"}""");
        var events = await EventsAsync(response);

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta+",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta+",
                "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
            ],
            Shape(events));
        Assert.Equal("reasoning", events[2].Data.GetProperty("item").GetProperty("type").GetString());
        Assert.Equal(1, events.First(e => e.Type == "response.output_text.delta").Data.GetProperty("output_index").GetInt32());
    }

    [Fact]
    public async Task A_cut_answer_ends_with_response_incomplete()
    {
        using var response = await PostAsync("""{"model":"llama3.2","stream":true,"max_output_tokens":2,"input":"wire cut [[sim:tokens=9]]"}""");
        var events = await EventsAsync(response);

        Assert.Equal("response.incomplete", events[^1].Type);
        var incomplete = events[^1].Data.GetProperty("response");
        Assert.Equal("incomplete", incomplete.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", incomplete.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal("incomplete", events[^2].Data.GetProperty("item").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_failure_after_the_first_token_is_an_error_event_then_response_failed()
    {
        using var response = await PostAsync("""{"model":"llama3.2","stream":true,"input":"wire fail [[sim:tokens=10,fail=2]]"}""");
        var events = await EventsAsync(response);

        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta+", "error", "response.failed"],
            Shape(events));
        var error = events[^2].Data;
        Assert.Equal("ollama_stream_broken", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        var failed = events[^1].Data.GetProperty("response");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("server_error", failed.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"model":"llama3.2","input":"x","seed":1}""", "seed", "unknown_parameter")]
    [InlineData("""{"model":"llama3.2","input":"x","background":true}""", "background", "unsupported_parameter")]
    [InlineData("""{"model":"llama3.2","input":"x","temperature":1e39}""", "temperature", "invalid_request")]
    [InlineData("""{"model":"llama3.2","input":"x","max_output_tokens":0}""", "max_output_tokens", "invalid_request")]
    [InlineData("""{"model":"llama3.2","input":"x","tools":[{"type":"web_search"}]}""", "tools[0].type", "unsupported_parameter")]
    [InlineData("""{"model":"llama3.2","input":"x","text":{"verbosity":"low"}}""", "text.verbosity", "unsupported_parameter")]
    [InlineData("""{"model":"llama3.2","input":"x","include":["message.output_text.logprobs"]}""", "include[0]", "unsupported_parameter")]
    [InlineData("""{"model":"llama3.2","input":[{"type":"function_call_output","call_id":"nope","output":"x"},{"role":"user","content":"hi"}]}""", "input", "invalid_request")]
    [InlineData("""{"model":"llama3.2","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]}""", "input[0].content[0].type", "unsupported_parameter")]
    [InlineData("""{"model":"llama3.2"}""", "input", "invalid_request")]
    public async Task What_the_router_cannot_honour_is_a_400_naming_the_parameter(string body, string param, string code)
    {
        using var response = await PostAsync(body);

        Assert.Equal(400, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeouts.Token())).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_before_any_event()
    {
        using var response = await PostAsync("""{"model":"no-such-model","stream":true,"input":"hi"}""");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeouts.Token())).RootElement.GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
    }
}
