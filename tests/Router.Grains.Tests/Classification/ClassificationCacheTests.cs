using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Router.Grains.Classification;
using Router.Grains.Interfaces;

namespace Router.Grains.Tests.Classification;

[Collection(ClusterCollection.Name)]
public sealed class ClassificationCacheTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Messages_that_differ_in_white_space_and_case_are_classified_once_and_metered()
    {
        using var meter = new CacheMeterListener();
        var nonce = Guid.NewGuid().ToString("N");
        var first = $"What   is the Capital of France {nonce}?";
        var second = $"  what is the capital\nof FRANCE {nonce.ToUpperInvariant()}? ";
        var cache = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<ClassificationCache>();

        var (_, firstHit) = await cache.GetAsync(first, CancellationToken.None);
        var (route, secondHit) = await cache.GetAsync(second, CancellationToken.None);

        Assert.False(firstHit);
        Assert.True(secondHit);
        Assert.Equal("llama3.2", route.Model);
        Assert.Equal(1, fixture.Classifier.CallsFor(first) + fixture.Classifier.CallsFor(second));
        Assert.True(meter.Hits >= 1 && meter.Misses >= 1, $"hits {meter.Hits}, misses {meter.Misses}");
    }

    [Fact]
    public async Task Concurrent_identical_messages_share_one_classifier_call()
    {
        var message = $"same question {Guid.NewGuid():N} [[classifier:delay=300]]";
        var cache = fixture.Cluster.Silos[1].ServiceProvider.GetRequiredService<ClassificationCache>();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cache.GetAsync(message, CancellationToken.None)));

        Assert.All(results, r => Assert.Equal("llama3.2", r.Route.Model));
        Assert.Equal(1, fixture.Classifier.CallsFor(message));
    }

    [Fact]
    public async Task Failures_are_not_cached()
    {
        var message = $"broken {Guid.NewGuid():N} [[classifier:500]]";
        var grain = fixture.Client.GetGrain<IClassifierGrain>(0);

        var first = await grain.ClassifyAsync(message);
        var second = await grain.ClassifyAsync(message);

        Assert.Equal("classifier_unavailable", first.Error?.Code);
        Assert.Equal("classifier_unavailable", second.Error?.Code);
        Assert.Equal(2, fixture.Classifier.CallsFor(message));
    }

    [Fact]
    public void The_cache_key_ignores_white_space_and_case_only()
    {
        Assert.Equal(ClassificationCache.KeyOf("Hello  World"), ClassificationCache.KeyOf(" hello\tworld\n"));
        Assert.NotEqual(ClassificationCache.KeyOf("Hello World"), ClassificationCache.KeyOf("HelloWorld"));
        Assert.NotEqual(ClassificationCache.KeyOf("Hello World"), ClassificationCache.KeyOf("Hello World!"));
    }

    /// <summary>Counts the router's cache hit and miss measurements while alive.</summary>
    private sealed class CacheMeterListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _hits;
        private long _misses;

        public CacheMeterListener()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Router" && instrument.Name.StartsWith("router.classifier.cache.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                if (instrument.Name.EndsWith(".hits", StringComparison.Ordinal)) Interlocked.Add(ref _hits, value);
                else Interlocked.Add(ref _misses, value);
            });
            _listener.Start();
        }

        public long Hits => Interlocked.Read(ref _hits);

        public long Misses => Interlocked.Read(ref _misses);

        public void Dispose() => _listener.Dispose();
    }
}
