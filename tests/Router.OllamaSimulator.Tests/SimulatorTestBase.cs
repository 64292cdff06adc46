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

    /// <summary>The official OpenAI client against the simulator's <c>/v1</c> root.</summary>
    protected global::OpenAI.Chat.ChatClient CreateOpenAIClient(string model = "llama3.2") =>
        new(model, new System.ClientModel.ApiKeyCredential("unused"), new global::OpenAI.OpenAIClientOptions { Endpoint = Simulator.OpenAIBaseUrl, NetworkTimeout = Timeout });

    /// <summary>Posts a JSON body and returns the status and the body text.</summary>
    protected async Task<(int Status, string Body)> PostAsync(string path, string json)
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The NDJSON lines of an Ollama streamed body, parsed.</summary>
    protected static List<System.Text.Json.JsonElement> NdjsonLines(string body) =>
        [.. body.TrimEnd('\n').Split('\n').Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)];

    public async Task InitializeAsync() => _simulator = await OllamaSimulator.StartAsync(CreateOptions());

    public async Task DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }
}
