using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;
using Orleans.TestingHost;
using Router.Grains.Hosting;
using Router.Hosting;
using Router.Hosting.Streaming;
using Router.Grains.Interfaces;
using Router.OllamaSimulator;
using Router.Testing;

namespace Router.Grains.Tests.Sessions;

/// <summary>A one-silo cluster whose session store holds every write until the test lets it through.</summary>
public sealed class GatedStoreFixture : IAsyncLifetime
{
    public GatedGrainStorage Store { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public OllamaSimulator.OllamaSimulator Simulator { get; private set; } = null!;

    public ClassifierStub Classifier { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { TimeToFirstTokenMs = 5, TokensPerSecond = 500, ResponseTokens = 4 });
        Classifier = await ClassifierStub.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ollama:BaseUrl"] = Simulator.BaseUrl.ToString(),
            ["Classifier:Url"] = Classifier.Url.ToString(),
        }).Build();
        Cluster = await RouterTestCluster.StartAsync(1, configuration, silo => silo.Services.AddKeyedSingleton<IGrainStorage>(RouterStorage.Sessions, Store));
    }

    public async Task DisposeAsync()
    {
        Store.Open();
        await Cluster.DisposeAsync();
        await Classifier.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

public sealed class WriteBehindTests(GatedStoreFixture fixture) : IClassFixture<GatedStoreFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_done_item_does_not_wait_for_the_session_write_and_the_turn_is_stored_after_it()
    {
        var client = fixture.Cluster.Client;
        var user = $"write-behind-{Guid.NewGuid():N}";
        var grain = client.GetGrain<IUserSessionGrain>(user);
        await using var reader = await CompletionStreamReader.SubscribeAsync(client);

        fixture.Store.Close();
        var ticket = await grain.StartCompletionAsync(reader.Request("hello [[sim:tokens=4]]"));
        Assert.Null(ticket.Error);
        var items = await reader.ReadToTerminalAsync(Timeout);

        // The answer ended while its session write is still held at the gate.
        Assert.Equal(CompletionEventKind.Done, items[^1].Kind);
        Assert.True(fixture.Store.Waiting > 0, "the session write should still be waiting");
        var grainId = grain.GetGrainId();
        Assert.False(fixture.Store.Has(grainId));

        // The next request already sees the turn (applied in memory at once).
        Assert.Single((await grain.GetSessionAsync()).Turns);

        fixture.Store.Open();
        Assert.True(await grain.IsRecordedAsync(reader.RequestId));

        // A new activation reads the turn back from the store.
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var reloaded = await grain.GetSessionAsync();
        Assert.Equal(SimulatedText.Text(4), Assert.Single(reloaded.Turns).AssistantMessage);
    }

    [Fact]
    public async Task A_session_that_lost_an_unwritten_outcome_says_so_and_takes_it_again()
    {
        var client = fixture.Cluster.Client;
        var grain = client.GetGrain<IUserSessionGrain>($"lost-{Guid.NewGuid():N}");
        var outcome = new CompletionOutcome(Guid.NewGuid(), "question", "llama3.2", "answer", 3, 1, null);

        fixture.Store.Close();
        await grain.RecordOutcomeAsync(outcome);
        // The activation goes away before its write is through; the next one reads a store without the outcome.
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Empty((await grain.GetSessionAsync()).Turns);
        Assert.False(await grain.IsRecordedAsync(outcome.RequestId));
        fixture.Store.Open();

        await grain.RecordOutcomeAsync(outcome);
        await grain.RecordOutcomeAsync(outcome);
        Assert.True(await grain.IsRecordedAsync(outcome.RequestId));
        var session = await grain.GetSessionAsync();
        Assert.Equal("answer", Assert.Single(session.Turns).AssistantMessage);
        Assert.Equal(1, session.Completed);
    }

    [Fact]
    public async Task Outcomes_that_arrive_while_a_write_is_held_share_one_write_after_it()
    {
        var client = fixture.Cluster.Client;
        var grain = client.GetGrain<IUserSessionGrain>($"coalesced-{Guid.NewGuid():N}");
        var outcomes = Enumerable.Range(0, 6)
            .Select(i => new CompletionOutcome(Guid.NewGuid(), $"question {i}", "llama3.2", $"answer {i}", 3, 1, null))
            .ToArray();

        fixture.Store.Close();
        foreach (var outcome in outcomes)
        {
            await grain.RecordOutcomeAsync(outcome);
        }

        fixture.Store.Open();
        Assert.True(await grain.IsRecordedAsync(outcomes[^1].RequestId));

        // The first outcome's write was held; the five after it waited together and went in one more write.
        Assert.Equal(2, fixture.Store.WritesOf(grain.GetGrainId()));
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var reloaded = await grain.GetSessionAsync();
        Assert.Equal(6, reloaded.Completed);
        Assert.Equal("answer 5", reloaded.Turns[^1].AssistantMessage);
    }
}
