namespace Router.Classifier.Conversations;

/// <summary>
/// Runs the routing path of a conversation — both tiers, the follow-up detector, an announced change of topic read twice,
/// the switch — on a few conversations of the team's own, some dozens of times, so the runtime compiles that code (and
/// recompiles its hottest methods, which it does after some thirty calls) before users' requests pay for it. Nothing is
/// kept: the model has no state, and no cache or metric is touched.
/// </summary>
public static class ConversationWarmup
{
    /// <summary>How often the conversations are run at start: enough calls for the runtime's second compilation.</summary>
    public const int DefaultPasses = 40;

    // Written for this purpose: each category, three languages, follow-ups, a silent and an announced change of topic.
    private static readonly string[][] Conversations =
    [
        ["write a python function that merges two sorted lists", "now make it work for any number of lists", "By the way, who painted the ceiling of the Sistine Chapel?"],
        ["Solve for x: 3x + 7 = 25", "and if it were 3x - 7?", "Schreib ein kurzes Gedicht über Nebel am Fluss"],
        ["Résume ce paragraphe : la réunion a été reportée à jeudi faute de quorum, et le budget sera voté le mois prochain.", "plus court", "why?"],
        ["how was your weekend? mine was far too short", "Quick question: how many moons does Mars have?", "谢谢！另外，帮我写一个排序数组的 Go 函数"],
        ["Explain how a heat pump moves heat from a cold place to a warm one", "und auf Deutsch?", "Write a haiku about the first frost"],
    ];

    /// <summary>Runs every conversation <paramref name="passes"/> times and returns how many turns were decided.</summary>
    public static int Run(PromptCategoryModel model, int passes = DefaultPasses)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(passes);
        Func<string, double> followUps = model.FollowUps is { } detector ? detector.Probability : _ => ConversationRouting.WithoutDetector;
        var decided = 0;
        for (var pass = 0; pass < passes; pass++)
        {
            foreach (var conversation in Conversations)
            {
                ConversationRouting.DecideLast(conversation, model.Classify, followUps);
                decided += conversation.Length;
            }
        }

        return decided;
    }
}
