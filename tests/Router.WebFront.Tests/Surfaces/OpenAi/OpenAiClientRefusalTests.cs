using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI.Chat;
using static Router.WebFront.Tests.Surfaces.OpenAi.FidelityRouterFixture;

namespace Router.WebFront.Tests.Surfaces.OpenAi;

/// <summary>What cannot be honoured comes back to the official client as a 400 in OpenAI's shape, naming the parameter.</summary>
[Collection(FidelityRouterCollection.Name)]
public sealed class OpenAiClientRefusalTests(FidelityRouterFixture fixture)
{
    private static JsonElement ErrorOf(ClientResultException e) =>
        JsonDocument.Parse(e.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");

    /// <summary>A body the typed client cannot express, sent through its protocol method.</summary>
    private async Task<ClientResultException> RawAsync(string body) =>
        await Assert.ThrowsAsync<ClientResultException>(() => fixture.Client(OllamaTools).CompleteChatAsync(
            BinaryContent.Create(BinaryData.FromString(body)), new RequestOptions { CancellationToken = Timeouts.Token() }));

    [Theory]
    [InlineData("\"n\":2", "n")]
    [InlineData("\"temperature\":1e39", "temperature")]
    [InlineData("\"max_tokens\":0", "max_tokens")]
    [InlineData("\"logprobs\":true", "logprobs")]
    public async Task A_parameter_the_router_cannot_honour_or_out_of_range_is_a_400(string parameter, string param)
    {
        var error = await RawAsync($$"""{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],{{parameter}}}""");
        Assert.Equal(400, error.Status);
        var body = ErrorOf(error);
        Assert.Equal(param, body.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Out_of_range_options_of_the_typed_client_are_400s(bool stream)
    {
        var temperature = await Assert.ThrowsAsync<ClientResultException>(() =>
            OpenAiChatRun.RunAsync(fixture.Client(OllamaTools), stream, [new UserChatMessage("hi")], new ChatCompletionOptions { Temperature = 3f }));
        Assert.Equal(400, temperature.Status);
        Assert.Equal("temperature", ErrorOf(temperature).GetProperty("param").GetString());

        var maxTokens = await Assert.ThrowsAsync<ClientResultException>(() =>
            OpenAiChatRun.RunAsync(fixture.Client(OllamaTools), stream, [new UserChatMessage("hi")], new ChatCompletionOptions { MaxOutputTokenCount = 0 }));
        Assert.Equal(400, maxTokens.Status);
        Assert.Equal("max_completion_tokens", ErrorOf(maxTokens).GetProperty("param").GetString());
    }

    [Theory]
    [InlineData(OllamaTools, true)]
    [InlineData(OllamaTools, false)]
    [InlineData(RouterFixture.UpstreamModel, true)]
    [InlineData(RouterFixture.UpstreamModel, false)]
    public async Task A_backend_refusal_of_an_image_is_a_400_with_its_reason(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var message = new UserChatMessage(ChatMessageContentPart.CreateTextPart($"look {nonce}"), ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes([0x89, 0x50, 0x4E, 0x47, 1, 2]), "image/png"));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => OpenAiChatRun.RunAsync(fixture.Client(model), stream, [message]));

        Assert.Equal(400, error.Status);
        var body = ErrorOf(error);
        Assert.Equal("backend_refused", body.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("param").ValueKind);
        // Ollama's reason is passed on; an upstream's is not yet (the core keeps only its status).
        if (model == OllamaTools) Assert.Contains("does not support vision", body.GetProperty("message").GetString());
    }
}
