using OllamaSharp;

namespace Router.OllamaSimulator.Tests;

/// <summary>One simulator per test (they are cheap to start), fast by default so tests do not wait on pacing.</summary>
public abstract class SimulatorTestBase : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private OllamaSimulator? _simulator;

    protected OllamaSimulator Simulator => _simulator ?? throw new InvalidOperationException("Simulator not started.");

    protected SimulatorJournal Journal => Simulator.Journal;

    protected virtual SimulatorOptions CreateOptions() => new()
    {
        TimeToFirstTokenMs = 0,
        TokensPerSecond = 0,
        ResponseTokens = 5,
    };

    /// <summary>
    /// The real OllamaSharp client. Response draining is off: by default SocketsHttpHandler keeps reading an
    /// abandoned response for up to 2 s to reuse the connection, which would delay the server noticing that
    /// the client left.
    /// </summary>
    protected OllamaApiClient CreateClient(string model = "llama3.2") =>
        new(new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = Simulator.BaseUrl, Timeout = Timeout }, model);

    protected HttpClient CreateHttpClient() => new() { BaseAddress = Simulator.BaseUrl, Timeout = Timeout };

    public async Task InitializeAsync() => _simulator = await OllamaSimulator.StartAsync(CreateOptions());

    public async Task DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }
}
