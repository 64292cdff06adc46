using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Router.WebFront.Tests.Surfaces.OpenAi;

/// <summary>The exact wire format of <c>/v1/chat/completions</c>, read with a raw HTTP client.</summary>
[Collection(RouterCollection.Name)]
public sealed class OpenAiWireTests(RouterFixture fixture)
{
    private async Task<HttpResponseMessage> PostAsync(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        return await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Timeouts.Token());
    }

    private static string Chat(string content, bool stream, string model = "auto", bool usage = false) => JsonSerializer.Serialize(new
    {
        model,
        stream,
        stream_options = usage ? new { include_usage = true } : null,
        messages = new[] { new { role = "user", content } },
    });

    /// <summary>The <c>data:</c> payloads of an SSE body, in order.</summary>
    private static async Task<List<string>> DataLinesAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Timeouts.Token());
        return body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).ToList();
    }

    [Fact]
    public async Task A_stream_has_the_role_first_content_deltas_a_finish_reason_a_usage_chunk_then_done()
    {
        using var response = await PostAsync(Chat("wire [[sim:tokens=5]]", stream: true, usage: true));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("llama3.2", response.Headers.GetValues("x-router-model").Single());
        Assert.Equal("conversation", response.Headers.GetValues("x-router-category").Single());
        var data = await DataLinesAsync(response);

        Assert.Equal("[DONE]", data[^1]);
        var chunks = data[..^1].Select(d => JsonDocument.Parse(d).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());

        var usage = chunks[^1];
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.Equal(5, usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var finish = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("stop", finish.GetProperty("finish_reason").GetString());
        var text = string.Concat(chunks[1..^2].Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        Assert.Equal(OllamaSimulator.SimulatedText.Text(5), text);
        Assert.All(chunks[..^2], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
    }

    [Fact]
    public async Task A_slow_first_token_starts_the_stream_with_a_keep_alive_before_it()
    {
        // The 200 waits for the first event of the answer; a keep-alive (every 200 ms here) is one.
        using var response = await PostAsync(Chat("slow [[sim:ttft=1000,tokens=3]]", stream: true));
        Assert.Equal(200, (int)response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync(Timeouts.Token())).Split('\n');

        var keepAlive = Array.IndexOf(lines, ": keep-alive");
        var firstContent = Array.FindIndex(lines, l => l.Contains("\"content\":\"", StringComparison.Ordinal) && !l.Contains("\"role\"", StringComparison.Ordinal));
        Assert.True(keepAlive > 0, "no keep-alive was sent while the first token was awaited");
        Assert.True(firstContent > keepAlive, "the keep-alive did not come before the first token");
        Assert.StartsWith("data: {", lines[0]);
        Assert.Contains("\"role\":\"assistant\"", lines[0]);
        Assert.Equal("data: [DONE]", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public async Task A_backend_cut_mid_stream_ends_with_an_error_event_and_no_done()
    {
        using var response = await PostAsync(Chat("cut [[sim:cut=3,tps=50]]", stream: true));
        Assert.Equal(200, (int)response.StatusCode);
        var data = await DataLinesAsync(response);

        Assert.DoesNotContain("[DONE]", data);
        var error = JsonDocument.Parse(data[^1]).RootElement.GetProperty("error");
        Assert.Equal("ollama_stream_broken", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_client_that_leaves_mid_stream_stops_the_generation_at_the_backend()
    {
        var nonce = Guid.NewGuid().ToString("N");
        using (var response = await PostAsync(Chat($"leave {nonce} [[sim:tokens=1000,tps=20]]", stream: true)))
        {
            await using var body = await response.Content.ReadAsStreamAsync(Timeouts.Token());
            using var reader = new StreamReader(body);
            // The role chunk, then the first content chunk: the backend is generating.
            var contentLines = 0;
            while (contentLines < 2 && await reader.ReadLineAsync(Timeouts.Token()) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal)) contentLines++;
            }
        }

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(Router.OllamaSimulator.SimulatedOutcome.ClientDisconnected, simulated.Outcome);
        Assert.InRange(simulated.TokensSent, 1, 999);
    }

    [Fact]
    public async Task A_backend_failure_of_a_plain_request_is_an_error_response_in_openais_shape()
    {
        using var response = await PostAsync(Chat("fails [[sim:status=500]]", stream: false));
        Assert.Equal(502, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("ollama_error", error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{not json", 400, "invalid_request")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "invalid_request")]
    [InlineData("{\"model\":\"auto\",\"messages\":[]}", 400, "invalid_request")]
    [InlineData("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}", 400, "invalid_request")]
    [InlineData("{\"model\":\"gpt-nothing\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404, "model_not_found")]
    public async Task Requests_refused_before_the_stream_get_openais_error_shape(string body, int status, string code)
    {
        using var response = await PostAsync(body);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.True(error.TryGetProperty("param", out _));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Models_lists_auto_and_the_configured_models()
    {
        var doc = JsonDocument.Parse(await fixture.Http.GetStringAsync("/v1/models", Timeouts.Token())).RootElement;
        var ids = doc.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal("list", doc.GetProperty("object").GetString());
        Assert.Contains("auto", ids);
        Assert.Contains("llama3.2", ids);
    }
}
