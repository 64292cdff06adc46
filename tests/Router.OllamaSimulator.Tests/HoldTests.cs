using System.Net;
using OllamaSharp.Models.Chat;

namespace Router.OllamaSimulator.Tests;

/// <summary><c>[[sim:hold=NAME]]</c>: an answer waits at a named point until the test releases it.</summary>
public sealed class HoldTests : SimulatorTestBase
{
    [Fact]
    public async Task A_held_answer_sends_its_tokens_up_to_the_hold_and_the_rest_only_after_the_release()
    {
        using var client = CreateClient();
        await using var chunks = client.ChatAsync(Chat("held [[sim:tokens=5,hold=h1,holdafter=2]]")).GetAsyncEnumerator();
        var received = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await chunks.MoveNextAsync(), $"token {i} should arrive before the hold");
            received.Add(chunks.Current!.Message.Content!);
        }

        await Simulator.Holds.WaitUntilHeldAsync("h1", Timeout);
        var third = chunks.MoveNextAsync().AsTask();
        var request = Assert.Single(Journal.Requests);
        Assert.Equal(2, request.TokensSent);
        Assert.False(request.IsTerminal, "a held answer is still open");

        Simulator.Holds.Release("h1");
        Assert.True(await third.WaitAsync(Timeout), "the third token should follow the release");
        received.Add(chunks.Current!.Message.Content!);
        while (await chunks.MoveNextAsync())
        {
            if (chunks.Current?.Done != true) received.Add(chunks.Current!.Message.Content!);
        }

        Assert.Equal(SimulatedText.Tokens(5), received);
        Assert.Equal(SimulatedOutcome.Completed, (await Journal.WaitForMessageAsync("held", Timeout)).Outcome);
    }

    [Fact]
    public async Task A_release_before_the_answer_arrives_lets_it_through_and_the_control_endpoints_work_over_http()
    {
        using var http = CreateHttpClient();
        using (var release = await http.PostAsync("/sim/release/early", content: null))
        {
            Assert.Equal(HttpStatusCode.NoContent, release.StatusCode);
        }

        using var client = CreateClient();
        var text = string.Concat(await DrainAsync(client.ChatAsync(Chat("released early [[sim:tokens=3,hold=early]]"))));
        Assert.Equal(SimulatedText.Text(3), text);

        using var held = await http.GetAsync("/sim/held/early?timeoutMs=5000");
        Assert.Equal(HttpStatusCode.NoContent, held.StatusCode);
        using var never = await http.GetAsync("/sim/held/nobody?timeoutMs=50");
        Assert.Equal(HttpStatusCode.RequestTimeout, never.StatusCode);
    }

    private static ChatRequest Chat(string content) => new()
    {
        Model = "llama3.2",
        Messages = [new Message(ChatRole.User, content)],
        Stream = true,
    };

    private static async Task<List<string>> DrainAsync(IAsyncEnumerable<ChatResponseStream?> stream)
    {
        var text = new List<string>();
        await foreach (var chunk in stream)
        {
            if (chunk is { Done: false }) text.Add(chunk.Message.Content ?? string.Empty);
        }

        return text;
    }
}
