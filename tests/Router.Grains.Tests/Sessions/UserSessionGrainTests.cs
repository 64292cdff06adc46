using Orleans.Core.Internal;
using Orleans.Runtime;
using Router.Grains.Interfaces;
using Router.OllamaSimulator;

namespace Router.Grains.Tests.Sessions;

[Collection(ClusterCollection.Name)]
public sealed class UserSessionGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Completions_of_many_users_stream_across_both_silos()
    {
        var users = Enumerable.Range(0, 24).Select(i => $"spread-{i}-{Guid.NewGuid():N}").ToArray();
        var results = await Task.WhenAll(users.Select(async user =>
        {
            var nonce = Guid.NewGuid().ToString("N");
            await using var reader = await CompletionStreamReader.SubscribeAsync(fixture.Client);
            var ticket = await fixture.Client.GetGrain<IUserSessionGrain>(user)
                .StartCompletionAsync(reader.Request($"hello {nonce}"));
            var items = await reader.ReadToTerminalAsync(Timeout);
            var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeout);
            return (ticket, items, simulated);
        }));

        foreach (var (ticket, items, simulated) in results)
        {
            Assert.Null(ticket.Error);
            Assert.Equal("llama3.2", ticket.Model);
            Assert.True(items[^1].Kind == CompletionEventKind.Done, $"an answer ended with {items[^1].Kind} {items[^1].Error?.Code}: {items[^1].Error?.Message}");
            Assert.Equal(simulated.Text, string.Concat(items.Where(i => i.Kind == CompletionEventKind.Token).Select(i => i.Text)));
            Assert.Equal(simulated.TokensSent, items[^1].Summary!.OutputTokens);
        }

        // The sessions were placed on both silos, so delivery crossed silo boundaries.
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        var stats = await management.GetDetailedGrainStatistics();
        var silos = stats.Where(s => users.Contains(s.GrainId.Key.ToString())).Select(s => s.SiloAddress).Distinct().Count();
        Assert.True(silos == 2, $"sessions on {silos} silo(s); sample ids: {string.Join(", ", stats.Take(5).Select(s => s.GrainId))}");
    }

    [Fact]
    public async Task The_session_keeps_the_last_turns_and_the_counters()
    {
        var user = $"turns-{Guid.NewGuid():N}";
        var grain = fixture.Client.GetGrain<IUserSessionGrain>(user);
        for (var i = 0; i < 3; i++)
        {
            await using var reader = await CompletionStreamReader.SubscribeAsync(fixture.Client);
            await grain.StartCompletionAsync(reader.Request($"turn {i} [[sim:tokens=4]]"));
            Assert.Equal(CompletionEventKind.Done, (await reader.ReadToTerminalAsync(Timeout))[^1].Kind);
        }

        var session = await grain.GetSessionAsync();
        Assert.Equal(3, session.Requests);
        Assert.Equal(3, session.Completed);
        Assert.Equal(0, session.Failed);
        Assert.Equal(12, session.OutputTokens);
        Assert.Equal(0, session.InFlight);
        Assert.Equal(ClusterFixture.MaxTurns, session.Turns.Count);
        Assert.Equal(["turn 1 [[sim:tokens=4]]", "turn 2 [[sim:tokens=4]]"], session.Turns.Select(t => t.UserMessage));
        Assert.All(session.Turns, t => Assert.Equal(OllamaSimulator.SimulatedText.Text(4), t.AssistantMessage));
    }

    [Fact]
    public async Task A_slow_request_does_not_hold_up_the_same_users_next_one_and_can_be_cancelled()
    {
        var user = $"concurrent-{Guid.NewGuid():N}";
        var grain = fixture.Client.GetGrain<IUserSessionGrain>(user);
        var slowNonce = Guid.NewGuid().ToString("N");

        await using var slow = await CompletionStreamReader.SubscribeAsync(fixture.Client);
        var ticket = await grain.StartCompletionAsync(slow.Request($"slow {slowNonce} [[sim:hold={slowNonce}]]"));

        // The slow one has reached the backend, which holds it before its first token.
        await fixture.Simulator.Holds.WaitUntilHeldAsync(slowNonce, Timeout);
        await using var fast = await CompletionStreamReader.SubscribeAsync(fixture.Client);
        await grain.StartCompletionAsync(fast.Request("fast [[sim:tokens=3]]"));
        Assert.Equal(CompletionEventKind.Done, (await fast.ReadToTerminalAsync(Timeout))[^1].Kind);

        var slowRecord = Assert.Single(fixture.Simulator.Journal.Requests, r => r.LastUserMessage!.Contains(slowNonce));
        Assert.False(slowRecord.IsTerminal, "the slow request should still be waiting for its first token");
        Assert.Equal(1, (await grain.GetSessionAsync()).InFlight);

        await fixture.Client.GetGrain<IGenerationOwnerGrain>(ticket.Silo!.ToParsableString()).CancelAsync(slow.RequestId);
        var cancelled = await fixture.Simulator.Journal.WaitForMessageAsync(slowNonce, Timeout);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, cancelled.Outcome);
    }

    [Fact]
    public async Task A_generation_can_be_cancelled_after_its_session_was_deactivated()
    {
        var user = $"moved-{Guid.NewGuid():N}";
        var grain = fixture.Client.GetGrain<IUserSessionGrain>(user);
        var nonce = Guid.NewGuid().ToString("N");
        await using var reader = await CompletionStreamReader.SubscribeAsync(fixture.Client);
        var ticket = await grain.StartCompletionAsync(reader.Request($"long {nonce} [[sim:hold={nonce}]]"));
        Assert.Null(ticket.Error);

        // Cancel only once the backend has the request: a cancellation before it was sent proves nothing.
        await fixture.Simulator.Holds.WaitUntilHeldAsync(nonce, Timeout);

        // The session's activation goes away (as when it migrates or its silo sheds it); the generation
        // belongs to the silo that runs it, so the cancellation must still reach the backend.
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await grain.GetSessionAsync();
        await fixture.Client.GetGrain<IGenerationOwnerGrain>(ticket.Silo!.ToParsableString()).CancelAsync(reader.RequestId);

        var cancelled = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeout);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, cancelled.Outcome);
    }

    [Fact]
    public async Task A_model_without_backend_gets_the_standard_response()
    {
        await using var reader = await CompletionStreamReader.SubscribeAsync(fixture.Client);
        var ticket = await fixture.Client.GetGrain<IUserSessionGrain>($"std-{Guid.NewGuid():N}")
            .StartCompletionAsync(reader.Request("integrate x^2 [[classify:math]]"));
        var items = await reader.ReadToTerminalAsync(Timeout);

        Assert.Equal("deepseek-r1", ticket.Model);
        Assert.Equal("math", ticket.Category);
        Assert.Equal(2, items.Count);
        Assert.Contains("deepseek-r1", items[0].Text);
        Assert.Equal("math", items[1].Summary!.Category);
    }

    [Fact]
    public async Task A_classifier_failure_without_fallback_is_reported_on_the_ticket()
    {
        var grain = fixture.Client.GetGrain<IUserSessionGrain>($"clf-{Guid.NewGuid():N}");
        var ticket = await grain.StartCompletionAsync(new CompletionRequest(Guid.NewGuid(), "x [[classifier:500]]", "nobody/0"));

        Assert.Equal("classifier_unavailable", ticket.Error?.Code);
        Assert.Equal(1, (await grain.GetSessionAsync()).Failed);
    }
}
