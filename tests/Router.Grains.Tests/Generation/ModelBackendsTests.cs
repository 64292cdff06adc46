using Microsoft.Extensions.AI;
using OllamaSharp;
using Router.Grains.Generation;
using Router.Grains.Options;
using Router.OllamaSimulator;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Router.Grains.Tests.Generation;

/// <summary>The backends table, and an upstream's chat client against a simulator of its own (no key, no cluster).</summary>
public sealed class ModelBackendsTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private OllamaSimulator.OllamaSimulator _simulator = null!;
    private ModelBackends _backends = null!;

    public async Task InitializeAsync()
    {
        _simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new SimulatorOptions { TimeToFirstTokenMs = 0, TokensPerSecond = 0, ResponseTokens = 4 });
        var upstreams = new UpstreamsOptions();
        upstreams.Models.Add(new UpstreamOptions { Name = "open-model", BaseUrl = _simulator.OpenAIBaseUrl, Model = "deepseek-r1" });
        upstreams.Models.Add(new UpstreamOptions { Name = "keyed", BaseUrl = _simulator.OpenAIBaseUrl, ApiKey = "sk-direct", Model = "llama3.2" });
        _backends = new ModelBackends(MsOptions.Create(new OllamaOptions { BaseUrl = _simulator.BaseUrl }), MsOptions.Create(upstreams));
    }

    public async Task DisposeAsync()
    {
        _backends.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public void Models_lists_every_backend_with_its_kind_and_Find_picks_the_client()
    {
        Assert.Equal(
            [new BackendModel("llama3.2", BackendKind.Ollama), new BackendModel("open-model", BackendKind.OpenAICompatible), new BackendModel("keyed", BackendKind.OpenAICompatible)],
            _backends.Models);

        Assert.Same(_backends.Ollama, _backends.Find("llama3.2")?.GetService<OllamaApiClient>());
        Assert.Same(_backends.Find("llama3.2"), _backends.Find("llama3.2:1b"));
        var upstream = _backends.Find("OPEN-MODEL")?.GetService<UpstreamModelChatClient>();
        Assert.NotNull(upstream);
        Assert.Equal(("open-model", "deepseek-r1"), (upstream.Name, upstream.UpstreamModel));
        Assert.Null(_backends.Find("deepseek-r1"));
        Assert.Null(_backends.Find("open-model:latest"));
    }

    [Fact]
    public async Task An_upstream_without_a_key_sends_no_authorization_and_streams_usage_content()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in _backends.Find("open-model")!.GetStreamingResponseAsync($"hi {nonce}", new ChatOptions { ModelId = "open-model" }))
        {
            updates.Add(update);
        }

        var simulated = await _simulator.Journal.WaitForMessageAsync(nonce, Timeout);
        Assert.Null(simulated.ApiKey);
        Assert.Equal("deepseek-r1", simulated.Model);
        Assert.Equal(SimulatedText.Text(4), string.Concat(updates.Select(u => u.Text)));
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.Equal(simulated.PromptEvalCount, usage.Details.InputTokenCount);
        Assert.Equal(4, usage.Details.OutputTokenCount);
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.Stop);
    }

    [Fact]
    public async Task An_upstream_with_a_key_sends_it_as_a_bearer_token()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var response = await _backends.Find("keyed")!.GetResponseAsync($"hi {nonce}");

        var simulated = await _simulator.Journal.WaitForMessageAsync(nonce, Timeout);
        Assert.Equal("sk-direct", simulated.ApiKey);
        Assert.Equal("llama3.2", simulated.Model);
        Assert.Equal(SimulatedText.Text(4), response.Text);
    }

    [Theory]
    [InlineData("open-model", SimulatedEndpoint.ChatCompletions)]
    [InlineData("llama3.2", SimulatedEndpoint.Chat)]
    public async Task Sampling_options_reach_the_backend_on_either_kind(string model, SimulatedEndpoint endpoint)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var options = new ChatOptions { ModelId = model, Temperature = 0.25f, TopP = 0.5f, MaxOutputTokens = 2, StopSequences = ["END"], Seed = 42 };
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in _backends.Find(model)!.GetStreamingResponseAsync($"params {nonce}", options))
        {
            updates.Add(update);
        }

        var simulated = await _simulator.Journal.WaitForMessageAsync(nonce, Timeout);
        Assert.Equal(endpoint, simulated.Endpoint);
        Assert.Equal((0.25, 0.5, 2, 42L), (simulated.Parameters.Temperature, simulated.Parameters.TopP, simulated.Parameters.MaxTokens, simulated.Parameters.Seed));
        Assert.Equal(["END"], simulated.Parameters.Stop);
        Assert.Equal(SimulatedText.Text(2), string.Concat(updates.Select(u => u.Text)));
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.Length);

        // The upstream decorator renames the model on a copy; the caller's options stay as they were.
        Assert.Equal(model, options.ModelId);
    }
}
