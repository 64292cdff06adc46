using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Router.Grains.Classification;
using Router.Grains.Diagnostics;
using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Tests.Classification;

/// <summary>
/// The follow-up detector (an embedding and a linear model per message) is asked only for a turn whose category differs
/// from where its conversation stands: a conversation that stays in one category costs no detector run at all.
/// </summary>
public sealed class FollowUpOnDemandTests
{
    [Fact]
    public async Task A_conversation_that_keeps_its_category_never_asks_the_detector()
    {
        var (services, cache, counting) = Cache();
        await using var _ = services;
        const string first = "Write a limerick about a cat who hates Mondays";
        const string second = "Now write a sonnet about a lighthouse keeper";

        var decision = await DecideAsync(cache, first, second);

        Assert.True(decision.Category == "creative_writing" && (await cache.GetAsync(first, CancellationToken.None)).Route.Category == decision.Category,
            $"both turns must be of one category for this example (got {decision.Category})");
        Assert.Equal(0, counting.FollowUpCalls);
    }

    [Fact]
    public async Task A_turn_of_another_category_asks_the_detector_once_and_the_cache_keeps_its_answer()
    {
        var (services, cache, counting) = Cache();
        await using var _ = services;
        const string first = "Write a limerick about a cat who hates Mondays";
        const string second = "What is the integral of x squared from 0 to 3";

        await DecideAsync(cache, first, second);
        await DecideAsync(cache, first, second);

        Assert.NotEqual((await cache.GetAsync(first, CancellationToken.None)).Route.Category, (await cache.GetAsync(second, CancellationToken.None)).Route.Category);
        Assert.Equal(1, counting.FollowUpCalls);
    }

    private static async Task<ClassifierDecision> DecideAsync(ClassificationCache cache, string first, string second)
    {
        var (route, _) = await cache.GetAsync(second, CancellationToken.None);
        var current = new ClassifierDecision(route.Model, route.Category, route.Confidence, false, null, route.Scores, route.Tier);
        return await ConversationStickiness.ApplyAsync(current, second, [first], cache, CancellationToken.None);
    }

    private static (ServiceProvider Services, ClassificationCache Cache, CountingClassifier Counting) Cache()
    {
        var provider = GrainServices.Build();
        var counting = new CountingClassifier(provider.GetRequiredService<InProcessPromptClassifier>());
        var cache = new ClassificationCache(counting, provider.GetRequiredService<RouterInstruments>(), provider.GetRequiredService<IOptions<ClassifierOptions>>());
        return (provider, cache, counting);
    }

    /// <summary>The in-process classifier, counting how often its follow-up detector is asked.</summary>
    private sealed class CountingClassifier(IPromptClassifier inner) : IPromptClassifier
    {
        private int _followUpCalls;

        public int FollowUpCalls => Volatile.Read(ref _followUpCalls);

        public Task<PromptRoute> ClassifyAsync(string message, CancellationToken cancellationToken) => inner.ClassifyAsync(message, cancellationToken);

        public double FollowUpProbability(string message)
        {
            Interlocked.Increment(ref _followUpCalls);
            return inner.FollowUpProbability(message);
        }
    }
}
