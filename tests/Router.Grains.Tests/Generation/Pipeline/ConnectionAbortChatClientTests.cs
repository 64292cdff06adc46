using Microsoft.Extensions.AI;
using OllamaSharp;
using Router.Grains.Generation.Pipeline;
using Router.OllamaSimulator;

namespace Router.Grains.Tests.Generation.Pipeline;

/// <summary>
/// Cancellation reaching Ollama: OllamaSharp over real HTTP to the simulator, which records whether
/// the client went away. Once the answer has started, only the decorator and its handler can stop it.
/// </summary>
public sealed class ConnectionAbortChatClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private OllamaSimulator.OllamaSimulator _simulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { TimeToFirstTokenMs = 0, TokensPerSecond = 0, ResponseTokens = 4 });
        _http = new HttpClient(new ConnectionAbortHandler(new SocketsHttpHandler { MaxResponseDrainSize = 0 })) { BaseAddress = _simulator.BaseUrl };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Cancelling_a_stalled_answer_ends_the_call_and_closes_its_connection()
    {
        using var client = ((IChatClient)new OllamaApiClient(_http)).AsBuilder().UseConnectionAbort().Build();
        var nonce = Guid.NewGuid().ToString("N");
        using var caller = new CancellationTokenSource();
        await using var updates = client.GetStreamingResponseAsync($"stall {nonce} [[sim:stall=2]]", new ChatOptions { ModelId = "llama3.2" }, caller.Token)
            .GetAsyncEnumerator(caller.Token);
        var texts = 0;
        while (texts < 2)
        {
            Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(Timeout), "the answer ended before its second token");
            if (updates.Current.Text.Length > 0) texts++;
        }

        // The simulator now holds the connection open and sends nothing more.
        var stalled = updates.MoveNextAsync().AsTask();
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stalled.WaitAsync(Timeout));
        Assert.Equal(SimulatedOutcome.ClientDisconnected, (await _simulator.Journal.WaitForMessageAsync(nonce, Timeout)).Outcome);
    }

    [Fact]
    public async Task A_call_that_completes_leaves_its_connection_usable()
    {
        using var client = ((IChatClient)new OllamaApiClient(_http)).AsBuilder().UseConnectionAbort().Build();
        using var caller = new CancellationTokenSource();
        for (var i = 0; i < 2; i++)
        {
            var nonce = Guid.NewGuid().ToString("N");
            var response = await client.GetStreamingResponseAsync($"whole {nonce}", new ChatOptions { ModelId = "llama3.2" }, caller.Token)
                .ToChatResponseAsync(caller.Token).WaitAsync(Timeout);
            Assert.Equal(SimulatedText.Text(4), response.Text);
            Assert.Equal(SimulatedOutcome.Completed, (await _simulator.Journal.WaitForMessageAsync(nonce, Timeout)).Outcome);
        }

        // Cancelling the caller's token after the calls ended must not touch them: their registrations are gone.
        await caller.CancelAsync();
        Assert.Equal(SimulatedText.Text(4), (await client.GetResponseAsync("after", new ChatOptions { ModelId = "llama3.2" }).WaitAsync(Timeout)).Text);
    }
}
