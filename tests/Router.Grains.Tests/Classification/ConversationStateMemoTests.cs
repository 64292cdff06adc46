using Microsoft.Extensions.DependencyInjection;
using Router.Classifier;
using Router.Classifier.Conversations;
using Router.Grains.Classification;
using Router.Grains.Interfaces;

namespace Router.Grains.Tests.Classification;

/// <summary>
/// Where a conversation's earlier turns left it is remembered under their exact texts, so the next request of that
/// conversation replays none of them; the decision stays the whole replay's, and texts that differ only in white space or
/// case (which can change how an announcement of a change of topic is read) do not share a remembered state.
/// </summary>
public sealed class ConversationStateMemoTests
{
    private static readonly string[][] Conversations =
    [
        ["write quicksort in python", "why is it n log n?", "and in rust?"],
        ["Write a limerick about a cat who hates Mondays", "By the way, what is the integral of x squared from 0 to 3", "make it shorter"],
        ["how are you doing today, my week was long", "Übrigens: wie viele Beine hat eine Spinne?", "und eine Ameise?"],
        ["Summarise this: the council met on Tuesday and voted to close the pool.", "Now translate that into French", "Who built the pyramids of Giza?"],
        ["write quicksort in python", "By  the way, who built the pyramids?", "and why?"], // two spaces: not an announcement
        ["write quicksort in python", "By the way, who built the pyramids?", "and why?"],
        ["WRITE QUICKSORT IN PYTHON", "by the way, who built the pyramids?", "and why?"],
    ];

    [Fact]
    public async Task A_remembered_conversation_is_decided_as_its_whole_replay_and_replayed_once()
    {
        await using var services = GrainServices.Build();
        var cache = services.GetRequiredService<ClassificationCache>();

        foreach (var conversation in Conversations)
        {
            var earlier = conversation[..^1];
            var message = conversation[^1];
            var replaysBefore = cache.Replays;
            var first = await DecideAsync(cache, earlier, message);
            Assert.Equal(replaysBefore + 1, cache.Replays);

            var again = await DecideAsync(cache, earlier, message);
            var expected = ConversationRouting.DecideLast(conversation, await ReadingsAsync(cache, conversation), cache.FollowUpProbability);
            Assert.Equal(replaysBefore + 1, cache.Replays); // the second request found the state of its earlier turns
            Assert.Equal((expected.Model, expected.Category, expected.Sticky), (first.Model, first.Category, first.Sticky));
            Assert.Equal((first.Model, first.Category, first.Sticky, first.Confidence), (again.Model, again.Category, again.Sticky, again.Confidence));
        }
    }

    [Fact]
    public void Earlier_turns_share_a_key_only_when_their_texts_are_the_same()
    {
        string[] turns = ["write quicksort in python", "By the way, who built the pyramids?"];
        Assert.Equal(ClassificationCache.ConversationKeyOf(turns), ClassificationCache.ConversationKeyOf([.. turns]));
        Assert.NotEqual(ClassificationCache.ConversationKeyOf(turns), ClassificationCache.ConversationKeyOf(["write quicksort in python", "By  the way, who built the pyramids?"]));
        Assert.NotEqual(ClassificationCache.ConversationKeyOf(turns), ClassificationCache.ConversationKeyOf([turns[1], turns[0]]));
        Assert.NotEqual(ClassificationCache.ConversationKeyOf(["ab", "c"]), ClassificationCache.ConversationKeyOf(["a", "bc"]));
    }

    private static async Task<ClassifierDecision> DecideAsync(ClassificationCache cache, string[] earlier, string message)
    {
        var (route, _) = await cache.GetAsync(message, CancellationToken.None);
        var current = new ClassifierDecision(route.Model, route.Category, route.Confidence, false, null, route.Scores, route.Tier);
        return await ConversationStickiness.ApplyAsync(current, message, earlier, cache, CancellationToken.None);
    }

    /// <summary>Every turn's classification, and each later turn's without its announcement, as the rule reads them.</summary>
    private static async Task<Func<string, PromptClassification>> ReadingsAsync(ClassificationCache cache, string[] conversation)
    {
        var readings = new Dictionary<string, PromptClassification>(StringComparer.Ordinal);
        foreach (var turn in conversation)
        {
            foreach (var text in TopicChangeOpeners.TryStrip(turn, out var content) ? [turn, content] : new[] { turn })
            {
                var (route, _) = await cache.GetAsync(text, CancellationToken.None);
                readings[text] = new PromptClassification(route.Model, route.Category!, route.Confidence!.Value, route.Scores ?? new Dictionary<string, double>());
            }
        }

        return t => readings[t];
    }
}
