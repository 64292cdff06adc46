using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Router.OllamaSimulator.Tests.OpenAI;

/// <summary>With <see cref="SimulatorOptions.ApiKey"/> set, the OpenAI endpoints require that bearer key.</summary>
public sealed class ApiKeyTests : SimulatorTestBase
{
    private const string Key = "sk-sim-test";

    protected override SimulatorOptions CreateOptions()
    {
        var options = base.CreateOptions();
        options.ApiKey = Key;
        return options;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk-wrong")]
    public async Task A_missing_or_wrong_key_is_a_401_with_invalid_api_key(string? key)
    {
        using var http = CreateHttpClient();
        using var request = Request($"keyless {key}", key);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        var recorded = await Journal.WaitForMessageAsync($"keyless {key}", Timeout);
        Assert.Equal(SimulatedOutcome.Faulted, recorded.Outcome);
        Assert.Equal(401, recorded.StatusCode);
        Assert.Equal(key, recorded.ApiKey);
        Assert.Equal(0, recorded.TokensSent);

        using var models = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        if (key is not null) models.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(models)).StatusCode);
    }

    [Fact]
    public async Task The_right_key_is_served_and_journaled()
    {
        using var http = CreateHttpClient();
        using var request = Request("keyed", Key);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = await Journal.WaitForMessageAsync("keyed", Timeout);
        Assert.Equal(SimulatedOutcome.Completed, recorded.Outcome);
        Assert.Equal(Key, recorded.ApiKey);

        using var models = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        models.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(models)).StatusCode);
    }

    [Fact]
    public async Task Ollamas_endpoints_stay_open()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/api/chat", OpenAIEvents.Body("""{"model":"llama3.2","messages":[{"role":"user","content":"open"}],"stream":false}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static HttpRequestMessage Request(string message, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = OpenAIEvents.Body(OpenAIEvents.ChatBody(message, stream: false)) };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }
}
