using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.OpenAi;

/// <summary>The official OpenAI .NET client pointed at the router.</summary>
[Collection(RouterCollection.Name)]
public sealed class OpenAiClientTests(RouterFixture fixture)
{
    private ChatClient Client(string model) => new(model, new ApiKeyCredential("unused"),
        new OpenAIClientOptions { Endpoint = new Uri(fixture.Router.BaseUrl, "/v1") });

    [Fact]
    public async Task A_streamed_auto_completion_carries_the_backends_text_and_usage()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        string? model = null;
        await foreach (var update in Client("auto").CompleteChatStreamingAsync(
            [new SystemChatMessage("be brief"), new UserChatMessage($"hello {nonce} [[sim:tokens=12]]")]))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            usage ??= update.Usage;
            model ??= update.Model;
        }

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.Completed, simulated.Outcome);
        Assert.Equal(simulated.Text, text.ToString());
        Assert.Equal("llama3.2", model);
        Assert.NotNull(usage);
        Assert.Equal(simulated.PromptEvalCount, usage.InputTokenCount);
        Assert.Equal(12, usage.OutputTokenCount);
    }

    [Fact]
    public async Task A_plain_completion_of_a_named_model_returns_the_whole_text_and_usage()
    {
        var nonce = Guid.NewGuid().ToString("N");
        ChatCompletion completion = await Client("llama3.2").CompleteChatAsync([new UserChatMessage($"plain {nonce} [[sim:tokens=7]]")]);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(simulated.Text, Assert.Single(completion.Content).Text);
        Assert.Equal("llama3.2", completion.Model);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(simulated.PromptEvalCount, completion.Usage.InputTokenCount);
        Assert.Equal(7, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task A_stop_sequence_ends_the_answer_before_it_and_the_backend_is_stopped_there()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var options = new ChatCompletionOptions { StopSequences = { "jumps over" } };
        ChatCompletion completion = await Client("llama3.2").CompleteChatAsync([new UserChatMessage($"stop {nonce} [[sim:tokens=400,tps=20]]")], options);

        Assert.Equal("The quick brown fox ", Assert.Single(completion.Content).Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);

        // The router matches the sequence itself: the backend is not told of it, and is stopped where it matched
        // (its answer would take 20 s whole).
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Null(simulated.Parameters.Stop);
        Assert.NotEqual(SimulatedOutcome.Completed, simulated.Outcome);
    }

    [Fact]
    public async Task An_unknown_model_is_a_404()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client("no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(404, error.Status);
    }
}
