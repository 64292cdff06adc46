using OllamaSharp.Models.Chat;
using Router.OllamaSimulator.Generation;

namespace Router.OllamaSimulator.Tests;

public sealed class ChatStreamingTests : SimulatorTestBase
{
    [Fact]
    public async Task Streaming_chat_yields_each_token_in_order_then_the_final_counters()
    {
        using var client = CreateClient();
        var request = new ChatRequest
        {
            Model = "llama3.2",
            Messages = [new Message(ChatRole.System, "be brief"), new Message(ChatRole.User, "tell me a story")],
            Stream = true,
        };

        var tokens = new List<string>();
        ChatDoneResponseStream? done = null;
        await foreach (var chunk in client.ChatAsync(request))
        {
            Assert.NotNull(chunk);
            Assert.Equal("llama3.2", chunk.Model);
            if (chunk is ChatDoneResponseStream final)
            {
                done = final;
                Assert.Equal(string.Empty, final.Message.Content);
            }
            else
            {
                Assert.False(chunk.Done);
                Assert.Equal(ChatRole.Assistant, chunk.Message.Role);
                tokens.Add(chunk.Message.Content ?? string.Empty);
            }
        }

        Assert.Equal(SimulatedText.Tokens(5), tokens);
        Assert.Equal("The quick brown fox jumps ", string.Concat(tokens));
        Assert.NotNull(done);
        Assert.True(done.Done);
        Assert.Equal("stop", done.DoneReason);
        Assert.Equal(5, done.EvalCount);
        Assert.Equal(6, done.PromptEvalCount); // "be brief" + "tell me a story"
        Assert.True(done.TotalDuration > 0, "total_duration must be reported in nanoseconds");

        var recorded = await Journal.WaitForAsync(r => r.Endpoint == SimulatedEndpoint.Chat, Timeout);
        Assert.Equal(SimulatedOutcome.Completed, recorded.Outcome);
        Assert.Equal(1, recorded.Id);
        Assert.Equal("tell me a story", recorded.LastUserMessage);
        Assert.Equal(5, recorded.TokensSent);
        Assert.Equal(string.Concat(tokens), recorded.Text);
        Assert.Equal(200, recorded.StatusCode);
    }

    [Fact]
    public async Task Rate_directives_set_the_plans_first_token_delay_and_interval_and_every_token_is_sent()
    {
        const string message = "slow please [[sim:ttft=100]] [[sim:tps=50,tokens=6]]";

        // The pacing the handler will apply, read from the plan: the test checks the plan and the count, not a clock,
        // since a loaded machine stretches any measured interval.
        var plan = GenerationPlan.From(new SimulatorOptions(), SimDirectives.Parse(message));
        Assert.Equal(100, plan.TimeToFirstTokenMs);
        Assert.Equal(TimeSpan.FromMilliseconds(20), plan.Interval);
        Assert.Equal(6, plan.SendCount);

        using var client = CreateClient();
        var request = new ChatRequest { Model = "llama3.2", Messages = [new Message(ChatRole.User, message)] };
        var count = 0;
        await foreach (var chunk in client.ChatAsync(request))
        {
            if (chunk is { Done: false }) count++;
        }

        Assert.Equal(6, count);
        var recorded = await Journal.WaitForMessageAsync("slow please", Timeout);
        Assert.Equal(6, recorded.TokensSent);
        Assert.Equal(SimulatedOutcome.Completed, recorded.Outcome);
    }

    [Fact]
    public async Task Non_streaming_chat_returns_the_whole_answer_in_one_object()
    {
        using var client = CreateClient();
        var request = new ChatRequest
        {
            Model = "llama3.2",
            Messages = [new Message(ChatRole.User, "one shot [[sim:tokens=12]]")],
            Stream = false,
        };

        var responses = new List<ChatResponseStream?>();
        await foreach (var chunk in client.ChatAsync(request))
        {
            responses.Add(chunk);
        }

        var only = Assert.Single(responses);
        var done = Assert.IsType<ChatDoneResponseStream>(only);
        Assert.Equal(SimulatedText.Text(12), done.Message.Content);
        Assert.Equal(12, done.EvalCount);
        Assert.Equal(3, done.PromptEvalCount); // directives count as words too
        Assert.Equal("stop", done.DoneReason);

        var recorded = await Journal.WaitForAsync(r => !r.Stream, Timeout);
        Assert.Equal(SimulatedOutcome.Completed, recorded.Outcome);
        Assert.Equal(12, recorded.TokensSent);
    }

    [Fact]
    public async Task Runtime_option_changes_apply_to_the_next_request_and_tagless_names_match_latest()
    {
        Simulator.Configure(o => o.ResponseTokens = 3);
        using var client = CreateClient();
        var text = string.Empty;
        await foreach (var chunk in client.ChatAsync(new ChatRequest { Model = "llama3.2:latest", Messages = [new Message(ChatRole.User, "hi")] }))
        {
            text += chunk?.Message.Content;
        }

        Assert.Equal(SimulatedText.Text(3), text);
        Assert.Equal(3, Simulator.Options.ResponseTokens);
    }
}
