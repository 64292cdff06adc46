using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Router.Testing;

namespace Router.WebFront.Tests.Sessions;

/// <summary>
/// Which callers keep a conversation, seen from what the model receives (the simulator's journal):
/// only a named user's <c>/complete</c> turns are kept; anonymous callers and the surfaces whose
/// client owns its conversation keep none; a user deletes their own history.
/// </summary>
[Collection(RouterCollection.Name)]
public sealed class SessionHistoryTests(RouterFixture fixture)
{
    [Fact]
    public async Task Two_anonymous_callers_do_not_share_a_context()
    {
        var nonce = Guid.NewGuid().ToString("N");
        await CompleteAsync($"stranger one {nonce} [[sim:ttft=0,tokens=2]]", userId: null);
        await CompleteAsync($"stranger two {nonce} [[sim:ttft=0,tokens=2]]", userId: null);
        var second = await fixture.Simulator.Journal.WaitForMessageAsync($"stranger two {nonce}", Timeouts.Event);
        Assert.True(second.Messages.Count == 1, $"the second anonymous caller's model input had {second.Messages.Count} messages: "
            + string.Join(" | ", second.Messages.Select(m => m.Content)));
    }

    [Fact]
    public async Task Only_complete_records_turns_and_a_user_deletes_their_own_history()
    {
        var user = "history-" + Guid.NewGuid().ToString("N")[..8];
        var nonce = Guid.NewGuid().ToString("N");

        // An OpenAI-style request: its client owns the conversation, so nothing is kept of it.
        using (var chat = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions"))
        {
            chat.Content = new StringContent(JsonSerializer.Serialize(new { model = "auto", messages = new[] { new { role = "user", content = $"chat {nonce} [[sim:ttft=0,tokens=2]]" } } }), Encoding.UTF8, "application/json");
            chat.Headers.Add("X-User-Id", user);
            using var response = await fixture.Http.SendAsync(chat, Timeouts.Token());
            Assert.Equal(200, (int)response.StatusCode);
        }

        await CompleteAsync($"first {nonce} [[sim:ttft=0,tokens=2]]", user);
        var first = await fixture.Simulator.Journal.WaitForMessageAsync($"first {nonce}", Timeouts.Event);
        Assert.True(first.Messages.Count == 1, "the OpenAI exchange reached the session's context: " + string.Join(" | ", first.Messages.Select(m => m.Content)));

        await CompleteAsync($"second {nonce} [[sim:ttft=0,tokens=2]]", user);
        var second = await fixture.Simulator.Journal.WaitForMessageAsync($"second {nonce}", Timeouts.Event);
        Assert.Equal(3, second.Messages.Count);
        Assert.Contains($"first {nonce}", second.Messages[0].Content, StringComparison.Ordinal);

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "/v1/history"))
        {
            delete.Headers.Add("X-User-Id", user);
            using var deleted = await fixture.Http.SendAsync(delete, Timeouts.Token());
            Assert.Equal(204, (int)deleted.StatusCode);
        }

        await CompleteAsync($"third {nonce} [[sim:ttft=0,tokens=2]]", user);
        var third = await fixture.Simulator.Journal.WaitForMessageAsync($"third {nonce}", Timeouts.Event);
        Assert.True(third.Messages.Count == 1, "the deleted history still reached the model: " + string.Join(" | ", third.Messages.Select(m => m.Content)));
    }

    private async Task CompleteAsync(string message, string? userId)
    {
        await using var sse = await CompleteStream.PostAsync(fixture.Http, message, userId, Timeouts.Token());
        Assert.Equal(200, (int)sse.Response.StatusCode);
        var events = await sse.ReadToEndAsync();
        Assert.True(events[^1].IsDone, $"'{message}' ended with {events[^1].Data}");
    }
}
