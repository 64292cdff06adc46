using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;

namespace Router.WebFront.Tests.Auth;

/// <summary>The official OpenAI .NET client with a router key as its API key.</summary>
[Collection(KeysRouterCollection.Name)]
public sealed class OpenAiClientKeyTests(KeysRouterFixture fixture)
{
    // No retries: the client would otherwise wait out a 429's Retry-After on its own.
    private ChatClient Client(string key) => new("auto", new ApiKeyCredential(key),
        new OpenAIClientOptions { Endpoint = new Uri(fixture.Router.BaseUrl, "/v1"), RetryPolicy = new ClientRetryPolicy(0) });

    [Fact]
    public async Task The_sdk_s_api_key_is_the_router_key_and_its_limits_come_back_as_429()
    {
        var (_, key) = await fixture.CreateKeyAsync("sdk-" + Guid.NewGuid().ToString("N")[..8], new { requests_per_minute = 1 });

        ChatCompletion completion = await Client(key).CompleteChatAsync([new UserChatMessage("hello [[sim:tokens=3]]")]);
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));

        var limited = await Assert.ThrowsAsync<ClientResultException>(() => Client(key).CompleteChatAsync([new UserChatMessage("again [[sim:tokens=3]]")]));
        Assert.Equal(429, limited.Status);
        Assert.Contains("rate_limited", limited.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_key_is_a_401_for_the_sdk()
    {
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => Client("rk_" + Guid.NewGuid().ToString("N")).CompleteChatAsync([new UserChatMessage("hello")]));

        Assert.Equal(401, refused.Status);
        Assert.Contains("invalid_api_key", refused.Message, StringComparison.Ordinal);
    }
}
