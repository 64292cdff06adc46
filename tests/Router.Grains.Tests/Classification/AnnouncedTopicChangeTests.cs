using Microsoft.Extensions.DependencyInjection;
using Router.Classifier;
using Router.Classifier.Conversations;
using Router.Grains.Classification;
using Router.Grains.Interfaces;

namespace Router.Grains.Tests.Classification;

/// <summary>
/// A message that announces a change of topic is weighed by the more confident of its two readings, with and without the
/// announcement, through the classification cache as through the rule itself: the router's answer is the rule's answer
/// replayed on the in-process model, and the reading without the announcement is cached under the text it read.
/// </summary>
public sealed class AnnouncedTopicChangeTests
{
    [Theory]
    [InlineData("write a Go function that reverses a slice of ints in place", "Übrigens: wie viele Beine hat eine Spinne?")]
    [InlineData("Schreib mir ein kurzes Gedicht über einen alten Bahnhof", "Oh btw, what's the boiling point of ethanol?")]
    [InlineData("how are you doing today, my week was long", "对了，熊猫一天吃多少竹子？")]
    [InlineData("wie viele Beine hat eine Spinne?", "Übrigens: wie viele Beine hat eine Spinne?")] // the reading without it is an earlier turn
    public async Task The_router_decides_as_the_rule_does_on_the_more_confident_reading(string first, string announced)
    {
        await using var services = GrainServices.Build();
        var cache = services.GetRequiredService<ClassificationCache>();
        Assert.True(TopicChangeOpeners.TryStrip(announced, out var content), "the example must announce a change of topic");

        var (whole, _) = await cache.GetAsync(announced, CancellationToken.None);
        var current = new ClassifierDecision(whole.Model, whole.Category, whole.Confidence, false, null, whole.Scores, whole.Tier);
        var decision = await ConversationStickiness.ApplyAsync(current, announced, [first], cache, CancellationToken.None);
        var (withoutOpener, cached) = await cache.GetAsync(content, CancellationToken.None);

        var readings = new Dictionary<string, PromptClassification>(StringComparer.Ordinal);
        foreach (var text in new[] { first, announced, content })
        {
            var (route, _) = await cache.GetAsync(text, CancellationToken.None);
            readings[text] = new PromptClassification(route.Model, route.Category!, route.Confidence!.Value, route.Scores ?? new Dictionary<string, double>());
        }

        var expected = ConversationRouting.DecideLast([first, announced], t => readings[t], cache.FollowUpProbability);
        Assert.True(cached, "the reading without the announcement is cached under its own text");
        Assert.Equal((expected.Model, expected.Category, expected.Sticky), (decision.Model, decision.Category, decision.Sticky));
        Assert.Equal(Math.Max(whole.Confidence!.Value, withoutOpener.Confidence!.Value), decision.Confidence);
    }
}
