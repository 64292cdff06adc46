using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Router.Grains.Diagnostics;

namespace Router.Grains.Tests.Diagnostics;

/// <summary>
/// A generation's chunks are added to <c>router.generation.chunks</c> once, when it ends, by model: the counter's sum is
/// what one measurement per chunk gave, without a measurement on every chunk of every answer.
/// </summary>
public sealed class GenerationCounterTests
{
    [Fact]
    public async Task A_generation_adds_its_chunks_by_model_when_it_ends()
    {
        await using var services = Classification.GrainServices.Build();
        var instruments = services.GetRequiredService<RouterInstruments>();
        var model = $"model-{Guid.NewGuid():N}"; // other tests' silos share the meter's name: this one's measurements carry this model
        var seen = new ConcurrentQueue<(string Instrument, long Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RouterInstruments.MeterName && instrument.Name.StartsWith("router.generation", StringComparison.Ordinal)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "router.model", Value: string m } && m == model) seen.Enqueue((instrument.Name, value));
            }
        });
        listener.Start();

        instruments.GenerationStarted();
        instruments.GenerationEnded(model, "done", outputTokens: 12, chunks: 7);
        instruments.GenerationStarted();
        instruments.GenerationEnded(model, "backend_unavailable", outputTokens: 0, chunks: 0);

        Assert.Equal([7L], seen.Where(m => m.Instrument == "router.generation.chunks").Select(m => m.Value));
        Assert.Equal([12L], seen.Where(m => m.Instrument == "router.generation.output_tokens").Select(m => m.Value));
    }
}
