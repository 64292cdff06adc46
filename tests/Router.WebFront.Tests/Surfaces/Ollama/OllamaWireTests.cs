using System.Text.Json;
using Router.OllamaSimulator;
using static Router.WebFront.Tests.Surfaces.Ollama.OllamaHttp;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>The exact bytes of the Ollama surface's answers, read with a plain HTTP client.</summary>
[Collection(RouterCollection.Name)]
public sealed class OllamaWireTests(RouterFixture fixture)
{
    private static readonly string[] FinalFields =
        ["total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_count", "eval_duration"];

    [Fact]
    public async Task A_chat_without_a_stream_field_streams_Ollama_ndjson_lines()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$"""{"model":"auto","messages":[{"role":"user","content":"Lines {{nonce}} [[sim:tokens=5,tps=100]]"}]}""";
        using var response = await PostAsync(fixture.Http, "/api/chat", body, contentType: null);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.True(Guid.TryParse(Header(response, "x-request-id"), out _));
        Assert.Equal("llama3.2", Header(response, "x-router-model"));
        Assert.Equal("conversation", Header(response, "x-router-category"));
        Assert.Equal("0.9", Header(response, "x-router-confidence"));

        var (_, lines) = await ReadLinesAsync(response);
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.True(lines.Count >= 2, $"expected chunks and a final line, got {lines.Count}");
        foreach (var line in lines[..^1])
        {
            Assert.Equal(["model", "created_at", "message", "done"], line.EnumerateObject().Select(p => p.Name));
            Assert.Equal("llama3.2", line.GetProperty("model").GetString());
            Assert.True(DateTimeOffset.TryParse(line.GetProperty("created_at").GetString(), out _));
            Assert.Equal("assistant", line.GetProperty("message").GetProperty("role").GetString());
            Assert.False(IsDone(line));
        }

        var final = lines[^1];
        Assert.True(IsDone(final));
        Assert.Equal("stop", final.GetProperty("done_reason").GetString());
        Assert.Equal("", Content(final));
        foreach (var field in FinalFields) Assert.Equal(JsonValueKind.Number, final.GetProperty(field).ValueKind);
        Assert.Equal(simulated.Text, string.Concat(lines.Select(Content)));
        Assert.Equal(simulated.PromptEvalCount, final.GetProperty("prompt_eval_count").GetInt32());
        Assert.Equal(5, final.GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task A_generate_with_stream_false_is_one_json_object()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$$"""{"model":"llama3.2","prompt":"Whole {{{nonce}}} [[sim:tokens=3]]","stream":false,"options":{"num_predict":3,"stop":"END","seed":7}}""";
        using var response = await PostAsync(fixture.Http, "/api/generate", body);
        var raw = await response.Content.ReadAsStringAsync(Timeouts.Token());

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        using var document = JsonDocument.Parse(raw);
        var answer = document.RootElement;
        Assert.Equal(["model", "created_at", "response", "done", "done_reason", .. FinalFields], answer.EnumerateObject().Select(p => p.Name));
        Assert.Equal(simulated.Text, answer.GetProperty("response").GetString());
        Assert.True(IsDone(answer));
        Assert.Equal(3, answer.GetProperty("eval_count").GetInt32());
        Assert.Equal("llama3.2", Header(response, "x-router-model"));
    }

    [Theory]
    [InlineData("/api/chat", "")]
    [InlineData("/api/chat", "{\"model\":")]
    [InlineData("/api/chat", "[1,2]")]
    [InlineData("/api/chat", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")]
    [InlineData("/api/chat", "{\"model\":\"auto\",\"messages\":\"hi\"}")]
    [InlineData("/api/chat", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"   \"}]}")]
    [InlineData("/api/chat", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":7}]}")]
    [InlineData("/api/chat", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"yo\"}]}")]
    [InlineData("/api/chat", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}")]
    [InlineData("/api/chat", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"options\":{\"temperature\":\"hot\"}}")]
    [InlineData("/api/chat", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"options\":{\"stop\":[1]}}")]
    [InlineData("/api/chat", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"options\":{\"num_predict\":\"many\"}}")]
    [InlineData("/api/generate", "{\"model\":\"auto\",\"prompt\":\"hi\",\"options\":{\"seed\":\"x\"}}")]
    [InlineData("/api/generate", "{\"model\":\"auto\",\"prompt\":\"   \"}")]
    [InlineData("/api/generate", "{\"model\":\"auto\",\"prompt\":\"hi\",\"system\":false}")]
    [InlineData("/api/show", "{}")]
    [InlineData("/api/show", "{\"model\":")]
    public async Task Malformed_bodies_are_400_with_an_error_object(string path, string body)
    {
        using var response = await PostAsync(fixture.Http, path, body);

        await AssertErrorBodyAsync(response, 400);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_with_an_error_object()
    {
        var body = $$"""{"model":"auto","prompt":"{{new string('a', 70 * 1024)}}"}""";
        using var response = await PostAsync(fixture.Http, "/api/generate", body);

        await AssertErrorBodyAsync(response, 413);
    }

    [Theory]
    [InlineData("/api/chat", "{\"model\":\"auto\"}", "message")]
    [InlineData("/api/chat", "{\"model\":\"llama3.2\",\"messages\":[],\"keep_alive\":\"5m\"}", "message")]
    [InlineData("/api/generate", "{\"model\":\"llama3.2:latest\",\"prompt\":\"\"}", "response")]
    public async Task A_load_request_is_answered_at_once_with_done_reason_load(string path, string body, string textField)
    {
        var before = fixture.Simulator.Journal.Stats.Total;
        using var response = await PostAsync(fixture.Http, path, body);
        var raw = await response.Content.ReadAsStringAsync(Timeouts.Token());

        Assert.Equal(200, (int)response.StatusCode);
        using var document = JsonDocument.Parse(raw);
        Assert.Equal(["model", "created_at", textField, "done", "done_reason"], document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("load", document.RootElement.GetProperty("done_reason").GetString());
        Assert.Equal("", Content(document.RootElement));
        Assert.Equal(before, fixture.Simulator.Journal.Stats.Total);
    }

    [Fact]
    public async Task A_load_request_for_a_model_the_router_does_not_serve_is_404()
    {
        using var response = await PostAsync(fixture.Http, "/api/chat", "{\"model\":\"mistral\"}");

        await AssertErrorBodyAsync(response, 404);
    }

    [Fact]
    public async Task A_bad_user_header_is_400_with_an_error_object()
    {
        using var response = await PostAsync(fixture.Http, "/api/chat", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", user: " ");

        await AssertErrorBodyAsync(response, 400);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_model_without_a_backend_is_404_before_the_stream(bool stream)
    {
        var body = $$"""{"model":"qwen2.5-coder","messages":[{"role":"user","content":"hi"}],"stream":{{(stream ? "true" : "false")}}}""";
        using var response = await PostAsync(fixture.Http, "/api/chat", body);

        var message = await AssertErrorBodyAsync(response, 404);
        Assert.Contains("qwen2.5-coder", message);
        Assert.True(Guid.TryParse(Header(response, "x-request-id"), out _));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_backend_failure_before_the_first_token_is_an_error_status(bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$"""{"model":"auto","prompt":"Fail {{nonce}} [[sim:status=500]]","stream":{{(stream ? "true" : "false")}}}""";
        using var response = await PostAsync(fixture.Http, "/api/generate", body);

        await AssertErrorBodyAsync(response, 502);
        Assert.Equal(SimulatedOutcome.Faulted, (await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event)).Outcome);
    }
}
