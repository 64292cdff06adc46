using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Streams;
using Router.Grains.Diagnostics;
using Router.Grains.Generation;
using Router.Grains.Interfaces;
using Router.Grains.Options;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Router.Grains.Tests.Generation;

/// <summary>A <see cref="CompletionRunner"/> that publishes into one given stream and streams from the fixture's simulator.</summary>
public sealed class StandaloneRunner : IDisposable
{
    private readonly ModelBackends _backends;

    public StandaloneRunner(ClusterFixture fixture, IAsyncStream<LaneItem> stream, GenerationOptions generation)
    {
        var ollama = MsOptions.Create(new OllamaOptions { BaseUrl = fixture.Simulator.BaseUrl });
        _backends = new ModelBackends(ollama);
        Runner = new CompletionRunner(
            fixture.Client,
            new SingleStream(stream),
            _backends,
            MsOptions.Create(generation),
            fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<RouterInstruments>(),
            NullLogger<CompletionRunner>.Instance);
    }

    public CompletionRunner Runner { get; }

    /// <summary>Starts a generation of the given prompt for a new user.</summary>
    public CompletionJob Start(string prompt) => Runner.Start(new CompletionJobSpec(
        $"standalone-{Guid.NewGuid():N}", Guid.NewGuid(), prompt, "llama3.2", "conversation", [], System.Diagnostics.Stopwatch.GetTimestamp(), "standalone/0"))!;

    public void Dispose() => _backends.Dispose();

    private sealed class SingleStream(IAsyncStream<LaneItem> stream) : ICompletionStreams
    {
        public IAsyncStream<LaneItem> ForLane(string laneKey) => stream;
    }
}
