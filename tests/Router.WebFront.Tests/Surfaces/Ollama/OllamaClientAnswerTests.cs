using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>How an answer ends and what it carries besides text, as OllamaSharp sees it.</summary>
[Collection(OllamaFidelityCollection.Name)]
public sealed class OllamaClientAnswerTests(OllamaFidelityFixture fixture)
{
    private OllamaApiClient Client(string user) => OllamaClients.For(fixture, user);

    [Theory]
    [InlineData("llama3.2", true)]
    [InlineData("llama3.2", false)]
    [InlineData("auto", true)]
    [InlineData("auto", false)]
    public async Task Num_predict_ends_the_chat_with_done_reason_length(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new ChatRequest
        {
            Model = model,
            Stream = stream,
            Messages = [new Message(ChatRole.User, $"Go on {nonce} [[sim:tokens=8]]")],
            Options = new RequestOptions { NumPredict = 3 },
        };

        var chunks = await OllamaClients.ChatAsync(Client("length-" + model), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(3, simulated.Parameters.MaxTokens);
        Assert.Equal("length", simulated.FinishReason);
        var done = Assert.IsType<ChatDoneResponseStream>(chunks[^1]);
        Assert.Equal("length", done.DoneReason);
        Assert.Equal(3, done.EvalCount);
        Assert.Equal(simulated.Text, string.Concat(chunks.Select(c => c.Message?.Content)));
    }

    [Fact]
    public async Task Num_predict_ends_a_generate_with_done_reason_length()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new GenerateRequest { Model = "auto", Prompt = $"Go on {nonce}", Options = new RequestOptions { NumPredict = 2 } };

        var lines = await OllamaClients.GenerateAsync(Client("length-generate"), request);

        Assert.Equal("length", (await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event)).FinishReason);
        Assert.Equal("length", Assert.IsType<GenerateDoneResponseStream>(lines[^1]).DoneReason);
    }

    [Theory]
    [InlineData("llama3.2", true)]
    [InlineData("llama3.2", false)]
    [InlineData("auto", true)]
    [InlineData("auto", false)]
    public async Task Thinking_arrives_apart_from_the_content(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new ChatRequest
        {
            Model = model,
            Stream = stream,
            Think = true,
            Messages = [new Message(ChatRole.User, $"Think first {nonce} [[sim:tokens=4,thinking=3]]")],
        };

        var chunks = await OllamaClients.ChatAsync(Client("thinking-" + model), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal("true", simulated.Content.Think);
        Assert.False(string.IsNullOrEmpty(simulated.Thinking));
        Assert.Equal(simulated.Thinking, string.Concat(chunks.Select(c => c.Message?.Thinking)));
        Assert.Equal(simulated.Text, string.Concat(chunks.Select(c => c.Message?.Content)));
        Assert.DoesNotContain(simulated.Thinking.Trim(), simulated.Text, StringComparison.Ordinal);
        Assert.Equal("stop", Assert.IsType<ChatDoneResponseStream>(chunks[^1]).DoneReason);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Thinking_on_generate_arrives_apart_from_the_response(bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new GenerateRequest { Model = "auto", Stream = stream, Think = "low", Prompt = $"Think first {nonce} [[sim:tokens=4,thinking=3]]" };

        var lines = await OllamaClients.GenerateAsync(Client("thinking-generate"), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal("low", simulated.Content.Think);
        Assert.Equal(simulated.Thinking, string.Concat(lines.Select(l => l.Thinking)));
        Assert.Equal(simulated.Text, string.Concat(lines.Select(l => l.Response)));
    }

    [Fact]
    public async Task Think_false_reaches_the_model_and_no_thinking_comes_back()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new ChatRequest { Model = "auto", Think = false, Messages = [new Message(ChatRole.User, $"Answer {nonce}")] };

        var chunks = await OllamaClients.ChatAsync(Client("no-thinking"), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal("false", simulated.Content.Think);
        Assert.All(chunks, c => Assert.True(string.IsNullOrEmpty(c.Message?.Thinking)));
        Assert.Equal(simulated.Text, string.Concat(chunks.Select(c => c.Message?.Content)));
    }
}
