using OllamaSharp;
using OllamaSharp.Models.Chat;
using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>The router's <c>/api/chat</c> as the real OllamaSharp client sees it.</summary>
[Collection(RouterCollection.Name)]
public sealed class OllamaClientChatTests(RouterFixture fixture)
{
    private OllamaApiClient Client(string user) => OllamaClients.For(fixture, user);

    [Fact]
    public async Task A_streamed_auto_chat_relays_the_backend_text_and_counters()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var messages = new List<Message>
        {
            new(ChatRole.System, "You answer briefly."),
            new(ChatRole.User, "What is a lane?"),
            new(ChatRole.Assistant, "A stream the web front reads."),
            new(ChatRole.User, $"And a silo {nonce} [[sim:tokens=7,tps=100]]"),
        };
        var request = new ChatRequest { Model = "auto", Messages = messages, Stream = true };

        var chunks = await OllamaClients.ChatAsync(Client("olga"), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.Completed, simulated.Outcome);
        var done = Assert.IsType<ChatDoneResponseStream>(chunks[^1]);
        Assert.All(chunks[..^1], c => Assert.False(c.Done));
        Assert.True(chunks.Count >= 3, $"expected several streamed lines, got {chunks.Count}");
        Assert.Equal(simulated.Text, string.Concat(chunks.Select(c => c.Message?.Content)));
        Assert.All(chunks, c => Assert.Equal("llama3.2", c.Model));
        Assert.All(chunks, c => Assert.Equal(ChatRole.Assistant, c.Message?.Role));

        // The client's whole conversation reached the backend, and nothing from the session instead.
        Assert.Equal(OllamaClients.Words(messages.Select(m => m.Content)), simulated.PromptEvalCount);
        Assert.Equal(simulated.PromptEvalCount, done.PromptEvalCount);
        Assert.Equal(7, simulated.TokensSent);
        Assert.Equal(simulated.TokensSent, done.EvalCount);
        Assert.Equal("stop", done.DoneReason);
        Assert.True(done.TotalDuration > 0);
        Assert.True(done.TotalDuration >= done.PromptEvalDuration + done.EvalDuration - 1);
    }

    [Fact]
    public async Task A_chat_with_a_named_model_and_stream_false_is_one_object_with_the_whole_text()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new ChatRequest
        {
            Model = "llama3.2",
            Messages = [new Message(ChatRole.User, $"Tell me {nonce} [[sim:tokens=5]]")],
            Stream = false,
        };

        var answers = await OllamaClients.ChatAsync(Client("pavel"), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        var done = Assert.IsType<ChatDoneResponseStream>(Assert.Single(answers));
        Assert.Equal(simulated.Text, done.Message.Content);
        Assert.Equal("llama3.2", done.Model);
        Assert.Equal(simulated.PromptEvalCount, done.PromptEvalCount);
        Assert.Equal(5, done.EvalCount);
        Assert.Equal("llama3.2", simulated.Model);
    }

    [Fact]
    public async Task A_model_the_router_does_not_serve_is_a_404_before_any_answer()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new ChatRequest { Model = "mistral", Messages = [new Message(ChatRole.User, $"hi {nonce}")] };

        var ex = await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var _ in Client("quinn").ChatAsync(request, Timeouts.Token()))
            {
            }
        });

        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
        Assert.DoesNotContain(fixture.Simulator.Journal.Requests, r => r.LastUserMessage?.Contains(nonce) == true);
    }

    [Fact]
    public async Task Ollama_options_reach_the_backend_but_stop_and_the_answer_completes()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new ChatRequest
        {
            Model = "auto",
            Messages = [new Message(ChatRole.User, $"Options {nonce} [[sim:tokens=4]]")],
            Options = new OllamaSharp.Models.RequestOptions { Temperature = 0.25f, TopP = 0.5f, NumPredict = 4, Seed = 42, Stop = ["END"] },
        };

        var chunks = await OllamaClients.ChatAsync(Client("rosa"), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        // Stop sequences stay with the router, which applies them itself (and names the one that matched).
        Assert.Equal(new SimulatedParameters(0.25, 0.5, 4, null, 42, MaxTokensField: "num_predict"), simulated.Parameters);
        Assert.IsType<ChatDoneResponseStream>(chunks[^1]);
        Assert.Equal(simulated.Text, string.Concat(chunks.Select(c => c?.Message?.Content)));
    }
}
