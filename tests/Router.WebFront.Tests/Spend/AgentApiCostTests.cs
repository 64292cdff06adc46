using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Router.WebFront.Tests.Spend;

/// <summary>The cost of a priced model's answer in the usage objects of Anthropic's Messages API and OpenAI's Responses API, streamed and plain.</summary>
[Collection(SpendRouterCollection.Name)]
public sealed class AgentApiCostTests(SpendRouterFixture fixture)
{
    private const decimal Million = 1_000_000m;

    private static decimal LlamaCost(long input, long output) => (input * SpendRouterFixture.LlamaInput + output * SpendRouterFixture.LlamaOutput) / Million;

    [Fact]
    public async Task Anthropic_usage_carries_the_cost_in_the_message_and_in_message_delta()
    {
        var (_, key) = await fixture.CreateKeyAsync($"ant-{Guid.NewGuid():N}"[..20]);

        using var plain = await fixture.Http.SendAsync(Messages(key, $"priced {Guid.NewGuid():N} [[sim:tokens=5]]", stream: false), Timeouts.Token());
        var message = await BodyAsync(plain);
        var usage = message.GetProperty("usage");
        var cost = LlamaCost(usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64());
        Assert.Equal(5, usage.GetProperty("output_tokens").GetInt64());
        Assert.Equal(cost, usage.GetProperty("cost").GetDecimal());
        Assert.False(usage.GetProperty("cost_estimated").GetBoolean());
        Assert.Equal("USD", usage.GetProperty("currency").GetString());
        Assert.Equal(cost, decimal.Parse(plain.Headers.GetValues("x-router-cost").Single(), CultureInfo.InvariantCulture));

        using var streamed = await fixture.Http.SendAsync(Messages(key, $"priced stream {Guid.NewGuid():N} [[sim:tokens=6]]", stream: true), Timeouts.Token());
        var delta = Assert.Single(await EventsAsync(streamed), e => e.GetProperty("type").GetString() == "message_delta").GetProperty("usage");
        Assert.Equal(6, delta.GetProperty("output_tokens").GetInt64());
        Assert.Equal(LlamaCost(delta.GetProperty("input_tokens").GetInt64(), 6), delta.GetProperty("cost").GetDecimal());
        Assert.Equal("USD", delta.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task Responses_usage_carries_the_cost_in_the_response_and_in_response_completed()
    {
        var (_, key) = await fixture.CreateKeyAsync($"rsp-{Guid.NewGuid():N}"[..20]);

        using var plain = await fixture.Http.SendAsync(Responses(key, $"priced {Guid.NewGuid():N} [[sim:tokens=4]]", stream: false), Timeouts.Token());
        var usage = (await BodyAsync(plain)).GetProperty("usage");
        var cost = LlamaCost(usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64());
        Assert.Equal(4, usage.GetProperty("output_tokens").GetInt64());
        Assert.Equal(cost, usage.GetProperty("cost").GetDecimal());
        Assert.False(usage.GetProperty("cost_estimated").GetBoolean());
        Assert.Equal(cost, decimal.Parse(plain.Headers.GetValues("x-router-cost").Single(), CultureInfo.InvariantCulture));

        using var streamed = await fixture.Http.SendAsync(Responses(key, $"priced stream {Guid.NewGuid():N} [[sim:tokens=3]]", stream: true), Timeouts.Token());
        var completed = Assert.Single(await EventsAsync(streamed), e => e.GetProperty("type").GetString() == "response.completed");
        var streamedUsage = completed.GetProperty("response").GetProperty("usage");
        Assert.Equal(LlamaCost(streamedUsage.GetProperty("input_tokens").GetInt64(), 3), streamedUsage.GetProperty("cost").GetDecimal());
        Assert.Equal("USD", streamedUsage.GetProperty("currency").GetString());
    }

    private static HttpRequestMessage Messages(string key, string text, bool stream)
    {
        var request = Json("/v1/messages", new { model = "llama3.2", max_tokens = 64, stream, messages = new[] { new { role = "user", content = text } } });
        request.Headers.Add("x-api-key", key);
        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }

    private static HttpRequestMessage Responses(string key, string text, bool stream)
    {
        var request = Json("/v1/responses", new { model = "llama3.2", store = false, stream, input = text });
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private static HttpRequestMessage Json(string path, object body) => new(HttpMethod.Post, path)
    {
        Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
    };

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {raw}");
        return JsonDocument.Parse(raw).RootElement.Clone();
    }

    private static async Task<List<JsonElement>> EventsAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {raw}");
        return [.. raw.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement.Clone())];
    }
}
