using System.Text.Json;
using Router.Testing;
using Router.WebFront.Tests.Auth;

namespace Router.WebFront.Tests.Spend;

/// <summary>What an answer costs, on the done event of <c>/complete</c> and in the request log, through the real router.</summary>
[Collection(SpendRouterCollection.Name)]
public sealed class CostTests(SpendRouterFixture fixture)
{
    private const decimal Million = 1_000_000m;

    [Fact]
    public async Task The_done_event_carries_the_cost_of_the_backends_own_counts_and_the_log_row_agrees()
    {
        var (keyId, key) = await fixture.CreateKeyAsync($"cost-{Guid.NewGuid():N}"[..20]);
        var nonce = Guid.NewGuid().ToString("N");
        var done = await CompleteAsync(key, $"hello {nonce} [[sim:tokens=7]]");
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);

        var prompt = done.GetProperty("prompt_tokens").GetInt64();
        var output = done.GetProperty("output_tokens").GetInt64();
        Assert.Equal(simulated.PromptEvalCount, prompt);
        Assert.Equal(7, output);
        Assert.Equal((prompt * SpendRouterFixture.LlamaInput + output * SpendRouterFixture.LlamaOutput) / Million, done.GetProperty("cost").GetDecimal());
        Assert.False(done.GetProperty("cost_estimated").GetBoolean());
        Assert.Equal("USD", done.GetProperty("currency").GetString());
        Assert.False(done.TryGetProperty("priced", out _));

        var row = Assert.Single(await fixture.WaitForRowsAsync($"key_id={keyId}", 1, "the request's row"));
        Assert.Equal(done.GetProperty("request_id").GetString(), row.GetProperty("request_id").GetString());
        Assert.Equal("complete", row.GetProperty("surface").GetString());
        Assert.Equal("llama3.2", row.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("model_requested").ValueKind);
        Assert.Equal("conversation", row.GetProperty("category").GetString());
        Assert.Equal(prompt, row.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(output, row.GetProperty("output_tokens").GetInt64());
        Assert.Equal(done.GetProperty("cost").GetDecimal(), row.GetProperty("cost").GetDecimal());
        Assert.False(row.GetProperty("cost_estimated").GetBoolean());
        Assert.Equal("done", row.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("error_code").ValueKind);
        Assert.True(row.GetProperty("ttft_ms").GetDouble() > 0, "first-token time recorded");
        Assert.True(row.GetProperty("duration_ms").GetInt64() >= 0);
        Assert.False(string.IsNullOrEmpty(row.GetProperty("web_front").GetString()));
        Assert.False(string.IsNullOrEmpty(row.GetProperty("silo").GetString()));

        // No prompt or answer text unless an operator asks for it.
        Assert.False(row.TryGetProperty("prompt", out _));
        Assert.False(row.TryGetProperty("answer", out _));
        Assert.DoesNotContain(nonce, row.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAI_and_Ollama_usage_carry_the_cost_and_plain_answers_a_cost_header()
    {
        var (_, key) = await fixture.CreateKeyAsync($"usage-{Guid.NewGuid():N}"[..20]);
        using var chat = await fixture.Http.SendAsync(KeysRouterFixture.Chat(key, $"priced chat {Guid.NewGuid():N} [[sim:tokens=5]]"), Timeouts.Token());
        var chatBody = JsonDocument.Parse(await chat.Content.ReadAsStringAsync()).RootElement;
        var usage = chatBody.GetProperty("usage");
        var chatCost = (usage.GetProperty("prompt_tokens").GetInt64() * SpendRouterFixture.LlamaInput + usage.GetProperty("completion_tokens").GetInt64() * SpendRouterFixture.LlamaOutput) / Million;
        Assert.Equal(200, (int)chat.StatusCode);
        Assert.Equal(chatCost, usage.GetProperty("cost").GetDecimal());
        Assert.Equal("USD", usage.GetProperty("currency").GetString());
        Assert.Equal(chatCost, decimal.Parse(chat.Headers.GetValues("x-router-cost").Single(), System.Globalization.CultureInfo.InvariantCulture));

        using var ollamaRequest = new HttpRequestMessage(HttpMethod.Post, "/api/chat")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { model = "llama3.2", stream = false, messages = new[] { new { role = "user", content = $"priced ollama {Guid.NewGuid():N} [[sim:tokens=4]]" } } }),
                System.Text.Encoding.UTF8, "application/json"),
        };
        ollamaRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var ollama = await fixture.Http.SendAsync(ollamaRequest, Timeouts.Token());
        var done = JsonDocument.Parse(await ollama.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(200, (int)ollama.StatusCode);
        var ollamaCost = (done.GetProperty("prompt_eval_count").GetInt64() * SpendRouterFixture.LlamaInput + done.GetProperty("eval_count").GetInt64() * SpendRouterFixture.LlamaOutput) / Million;
        Assert.Equal(ollamaCost, done.GetProperty("cost").GetDecimal());
        Assert.False(done.GetProperty("cost_estimated").GetBoolean());
    }

    [Theory]
    [InlineData("llama3.2", "")]
    [InlineData(RouterFixture.UpstreamModel, $"[[classify:model={RouterFixture.UpstreamModel}]]")]
    public async Task An_answer_without_usage_from_its_backend_is_billed_on_the_routers_count_and_marked_estimated(string model, string steer)
    {
        var (keyId, key) = await fixture.CreateKeyAsync($"est-{Guid.NewGuid():N}"[..20]);
        var done = await CompleteAsync(key, $"count this yourself {Guid.NewGuid():N} {steer} [[sim:usage=none,tokens=12]]");

        Assert.Equal(model, done.GetProperty("model").GetString());
        var prompt = done.GetProperty("prompt_tokens").GetInt64();
        var output = done.GetProperty("output_tokens").GetInt64();
        Assert.True(prompt > 0, "the prompt is counted by the router");
        Assert.True(output > 0, "the relayed answer is counted by the router");
        Assert.True(done.GetProperty("cost_estimated").GetBoolean());
        var (input, outputPrice) = model == "llama3.2"
            ? (SpendRouterFixture.LlamaInput, SpendRouterFixture.LlamaOutput)
            : (SpendRouterFixture.UpstreamInput, SpendRouterFixture.UpstreamOutput);
        Assert.Equal((prompt * input + output * outputPrice) / Million, done.GetProperty("cost").GetDecimal());

        var row = Assert.Single(await fixture.WaitForRowsAsync($"key_id={keyId}", 1, "the estimated row"));
        Assert.True(row.GetProperty("cost_estimated").GetBoolean());
        Assert.Equal(done.GetProperty("cost").GetDecimal(), row.GetProperty("cost").GetDecimal());
    }

    [Fact]
    public async Task An_upstream_stream_is_asked_for_usage_so_its_cost_is_not_estimated()
    {
        var (_, key) = await fixture.CreateKeyAsync($"up-{Guid.NewGuid():N}"[..20]);
        var done = await CompleteAsync(key, $"code {Guid.NewGuid():N} [[classify:model={RouterFixture.UpstreamModel}]] [[sim:tokens=6]]");

        Assert.Equal(RouterFixture.UpstreamModel, done.GetProperty("model").GetString());
        Assert.Equal(6, done.GetProperty("output_tokens").GetInt64());
        Assert.False(done.GetProperty("cost_estimated").GetBoolean());
        var prompt = done.GetProperty("prompt_tokens").GetInt64();
        Assert.Equal((prompt * SpendRouterFixture.UpstreamInput + 6 * SpendRouterFixture.UpstreamOutput) / Million, done.GetProperty("cost").GetDecimal());
    }

    [Fact]
    public async Task An_unpriced_model_costs_nothing_and_says_so()
    {
        var (_, key) = await fixture.CreateKeyAsync($"free-{Guid.NewGuid():N}"[..20]);
        var done = await CompleteAsync(key, $"write code {Guid.NewGuid():N} [[classify:code]]");

        Assert.Equal("qwen2.5-coder", done.GetProperty("model").GetString());
        Assert.Equal(0m, done.GetProperty("cost").GetDecimal());
        Assert.False(done.GetProperty("priced").GetBoolean());
    }

    [Fact]
    public async Task Spend_and_billed_tokens_reach_the_metrics_by_model()
    {
        var (_, key) = await fixture.CreateKeyAsync($"met-{Guid.NewGuid():N}"[..20]);
        await CompleteAsync(key, $"hello {Guid.NewGuid():N}");

        using var http = new HttpClient { BaseAddress = fixture.Router.ManagementUrl };
        var text = await http.GetStringAsync("/metrics", Timeouts.Token());
        Assert.Contains(text.Split('\n'), l => l.StartsWith("router_spend", StringComparison.Ordinal) && l.Contains("router_model=\"llama3.2\"", StringComparison.Ordinal));
        Assert.Contains(text.Split('\n'), l => l.StartsWith("router_billed_tokens", StringComparison.Ordinal) && l.Contains("router_token_kind=\"output\"", StringComparison.Ordinal));
        Assert.DoesNotContain("router_key=", text, StringComparison.Ordinal);
    }

    private async Task<JsonElement> CompleteAsync(string key, string message)
    {
        await using var sse = await SseClient.OpenAsync(fixture.Http, KeysRouterFixture.Complete(key, message), Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());
        Assert.True(events[^1].IsDone, $"the answer ended with {events[^1].Data}");
        return events[^1].Data;
    }
}
