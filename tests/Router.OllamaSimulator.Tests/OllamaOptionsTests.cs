using OllamaSharp.Models;
using OllamaSharp.Models.Chat;

namespace Router.OllamaSimulator.Tests;

/// <summary>Ollama's <c>options</c> object reaches the journal, and <c>num_predict</c> caps the answer as in Ollama.</summary>
public sealed class OllamaOptionsTests : SimulatorTestBase
{
    [Fact]
    public async Task Chat_options_are_journaled_and_num_predict_ends_with_length()
    {
        using var client = CreateClient();
        var request = new ChatRequest
        {
            Model = "llama3.2",
            Messages = [new Message(ChatRole.User, "with options [[sim:tokens=6]]")],
            Options = new RequestOptions { Temperature = 0.75f, TopP = 0.9f, NumPredict = 4, Stop = ["\n\n"], Seed = 7 },
        };

        ChatDoneResponseStream? done = null;
        await foreach (var chunk in client.ChatAsync(request))
        {
            done = chunk as ChatDoneResponseStream ?? done;
        }

        Assert.NotNull(done);
        Assert.Equal("length", done.DoneReason);
        Assert.Equal(4, done.EvalCount);

        var recorded = await Journal.WaitForMessageAsync("with options", Timeout);
        Assert.Equal(0.75, recorded.Parameters.Temperature!.Value, 3);
        Assert.Equal(0.9, recorded.Parameters.TopP!.Value, 3);
        Assert.Equal(4, recorded.Parameters.MaxTokens);
        Assert.Equal(["\n\n"], recorded.Parameters.Stop);
        Assert.Equal(7, recorded.Parameters.Seed);
    }

    [Fact]
    public async Task A_request_without_options_journals_no_parameters()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/api/generate", GenerateAndInfoTests.Json("""{"model":"llama3.2","prompt":"bare","stream":false}"""));
        var recorded = await Journal.WaitForMessageAsync("bare", Timeout);
        Assert.Equal(SimulatedParameters.None, recorded.Parameters);
    }
}
