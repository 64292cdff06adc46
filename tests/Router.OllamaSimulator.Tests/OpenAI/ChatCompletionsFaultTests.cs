using System.Net;
using System.Text;
using System.Text.Json;

namespace Router.OllamaSimulator.Tests.OpenAI;

/// <summary>Fault injection on <c>/v1/chat/completions</c>: OpenAI's error bodies and statuses, cuts, in-band errors, clients leaving.</summary>
public sealed class ChatCompletionsFaultTests : SimulatorTestBase
{
    [Fact]
    public async Task Unknown_model_is_a_404_with_openais_error_object()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/v1/chat/completions", OpenAIEvents.Body(
            """{"model":"gpt-none","messages":[{"role":"user","content":"hi"}],"stream":true}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            """{"error":{"message":"The model \u0060gpt-none\u0060 does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}""",
            await response.Content.ReadAsStringAsync());
        var recorded = await Journal.WaitForAsync(r => r.Model == "gpt-none", Timeout);
        Assert.Equal(SimulatedOutcome.Faulted, recorded.Outcome);
    }

    [Theory]
    [InlineData(429, "requests", "rate_limit_exceeded")]
    [InlineData(500, "server_error", null)]
    [InlineData(503, "server_error", null)]
    [InlineData(400, "invalid_request_error", null)]
    public async Task Status_directive_answers_that_status_with_openais_type_and_code(int status, string type, string? code)
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/v1/chat/completions", OpenAIEvents.Body(OpenAIEvents.ChatBody($"status {status} [[sim:status={status}]]", stream: true)));

        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(status, (await Journal.WaitForMessageAsync($"status {status}", Timeout)).StatusCode);
    }

    [Fact]
    public async Task Malformed_body_is_a_400_with_an_error_object()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/v1/chat/completions", OpenAIEvents.Body("{nope"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Cut_directive_breaks_the_stream_after_the_given_tokens_without_done()
    {
        using var http = CreateHttpClient();
        using var response = await http.SendAsync(
            Post(OpenAIEvents.ChatBody("cut me [[sim:cut=2,tokens=10]]", stream: true)), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var received = new StringBuilder();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        var ex = await Record.ExceptionAsync(async () =>
        {
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0) received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        });

        Assert.True(ex is IOException, $"expected the cut to surface as an IOException, got {ex?.GetType().Name ?? "a clean end"}");
        var events = OpenAIEvents.Parse(received.ToString());
        Assert.Equal(3, events.Count); // role + 2 tokens
        Assert.DoesNotContain(OpenAIEvents.Done, events);
        var recorded = await Journal.WaitForMessageAsync("cut me", Timeout);
        Assert.Equal(SimulatedOutcome.Cut, recorded.Outcome);
        Assert.Equal(2, recorded.TokensSent);
    }

    [Fact]
    public async Task Fail_directive_sends_an_error_event_and_ends_without_done()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/v1/chat/completions", OpenAIEvents.Body(OpenAIEvents.ChatBody("fail me [[sim:fail=1]]", stream: true)));
        var events = OpenAIEvents.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, events.Count); // role, 1 token, error
        var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        var recorded = await Journal.WaitForMessageAsync("fail me", Timeout);
        Assert.Equal(SimulatedOutcome.Faulted, recorded.Outcome);
        Assert.Equal(1, recorded.TokensSent);
    }

    [Fact]
    public async Task A_client_leaving_mid_stream_is_journaled_as_disconnected()
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = Simulator.BaseUrl, Timeout = Timeout };
        using (var response = await http.SendAsync(
            Post(OpenAIEvents.ChatBody("leave me [[sim:tokens=1000,tps=20]]", stream: true)), HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            Assert.True(await body.ReadAsync(new byte[64]) > 0, "no byte arrived before leaving");
        }

        var recorded = await Journal.WaitForMessageAsync("leave me", Timeout);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, recorded.Outcome);
        Assert.InRange(recorded.TokensSent, 0, 999);
    }

    private static HttpRequestMessage Post(string json) => new(HttpMethod.Post, "/v1/chat/completions") { Content = OpenAIEvents.Body(json) };
}
