using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Router.WebFront.Tests.Auth;

namespace Router.WebFront.Tests.Surfaces.Anthropic;

/// <summary>In Keys mode the Anthropic surface takes the key from <c>x-api-key</c> (what its clients send) and refuses in Anthropic's shape.</summary>
[Collection(KeysRouterCollection.Name)]
public sealed class AnthropicKeyTests(KeysRouterFixture fixture)
{
    private AnthropicClient Client(string apiKey) => new()
    {
        BaseUrl = fixture.Router.BaseUrl.ToString().TrimEnd('/'),
        ApiKey = apiKey,
        MaxRetries = 0,
        Timeout = Timeouts.Event,
    };

    private static MessageCreateParams Ask(string text) => new() { Model = "auto", MaxTokens = 50, Messages = [new UserMessageParam(text)] };

    private static string User() => "anthropic-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task The_official_client_is_admitted_with_its_key_in_x_api_key()
    {
        var (_, key) = await fixture.CreateKeyAsync(User());

        var message = await Client(key).Messages.Create(Ask("hello [[sim:tokens=2]]"), Timeouts.Token());

        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
    }

    [Fact]
    public async Task A_wrong_key_is_a_401_authentication_error()
    {
        var failure = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => Client("rk_not-a-key-of-this-router").Messages.Create(Ask("hello"), Timeouts.Token()));

        Assert.Equal("authentication_error", failure.Type?.Raw());
    }

    [Fact]
    public async Task Over_the_keys_limit_is_a_429_rate_limit_error_with_retry_after()
    {
        var (_, key) = await fixture.CreateKeyAsync(User(), new { requests_per_minute = 1 });
        using (var first = await PostAsync(key))
        {
            Assert.Equal(200, (int)first.StatusCode);
        }

        using var second = await PostAsync(key);

        Assert.Equal(429, (int)second.StatusCode);
        Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.Zero, "retry-after is set");
        var error = JsonDocument.Parse(await second.Content.ReadAsStringAsync(Timeouts.Token())).RootElement;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("error").GetProperty("type").GetString());
    }

    private async Task<HttpResponseMessage> PostAsync(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"auto","max_tokens":20,"messages":[{"role":"user","content":"hi [[sim:tokens=1]]"}]}""", Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("x-api-key", key);
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("anthropic-beta", "interleaved-thinking-2025-05-14");
        return await fixture.Http.SendAsync(request, Timeouts.Token());
    }
}
