using System.Globalization;
using Router.Classifier.Conversations;
using Router.Classifier.Data;

namespace Router.Classifier.Cli;

/// <summary>
/// Measures <see cref="ConversationRouting"/> on a file of two-turn conversations
/// (<c>first&lt;TAB&gt;category&lt;TAB&gt;second&lt;TAB&gt;expected category&lt;TAB&gt;follow-up|topic-change</c>):
/// how often follow-ups stay and topic changes move, for a range of switch bounds.
/// </summary>
internal static class ConversationsCommand
{
    public static int Run(CommandLine commandLine)
    {
        var conversations = TwoTurnConversationFile.Read(commandLine.Require("data"));
        var options = new ClassifierModelOptions { ModelPath = commandLine.Get("model") };
        options.Encoder.Enabled = !commandLine.Has("no-encoder");
        using var model = PromptCategoryModelFactory.Create(options);
        model.EncoderReady.GetAwaiter().GetResult();
        var bounds = commandLine.Get("switch-above") is { } one
            ? [double.Parse(one, CultureInfo.InvariantCulture)]
            : new[] { 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99, 1.01 };
        var followUpAbove = commandLine.Get("follow-up-above") is { } f ? double.Parse(f, CultureInfo.InvariantCulture) : ConversationRouting.FollowUpAbove;
        var selfContainedAbove = commandLine.Get("self-contained-above") is { } sc
            ? double.Parse(sc, CultureInfo.InvariantCulture) : ConversationRouting.SelfContainedSwitchAbove;
        if (commandLine.Get("dump") is { } dumpPath)
        {
            Dump(model, conversations, dumpPath);
        }

        Console.WriteLine($"{conversations.Count} conversations; {"switch above",12} {"follow-ups stay",16} {"topic changes move",19} {"model right",11}");
        foreach (var bound in bounds)
        {
            var result = ConversationEvaluator.Evaluate(model, conversations, bound, followUpAbove, selfContainedAbove,
                stripOpeners: !commandLine.Has("keep-openers"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"",17}{bound,12:F2} {result.FollowUpsStay,16:P1} {result.TopicChangesMove,19:P1} {result.ModelAccuracy,11:P1}"));
            if (commandLine.Has("misses") && bounds.Length == 1)
            {
                foreach (var miss in result.Misses)
                {
                    Console.WriteLine($"  {miss}");
                }
            }
        }

        return 0;
    }

    // One line per conversation with what the rule weighs, for studying the rule outside the program.
    private static void Dump(PromptCategoryModel model, IReadOnlyList<TwoTurnConversation> conversations, string path)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine(string.Join('\t', ["follow_up", "first_category", "expected", "category", "confidence", "follow_up_p", "opener",
            .. PromptCategories.All.Select(c => "p_" + c), "first", "second"]));
        foreach (var c in conversations)
        {
            // The reading the rule weighs: for an announced change of topic, the more confident of the two.
            var second = ConversationRouting.ReadInConversation(c.Second, model.Classify, out var announces);
            var followUp = model.FollowUps?.Probability(c.Second) ?? ConversationRouting.WithoutDetector;
            writer.WriteLine(string.Join('\t', [c.IsFollowUp ? "1" : "0", c.FirstCategory, c.ExpectedCategory, second.Category,
                second.Confidence.ToString("R", CultureInfo.InvariantCulture), followUp.ToString("R", CultureInfo.InvariantCulture),
                announces ? "1" : "0",
                .. PromptCategories.All.Select(k => second.Scores[k].ToString("R", CultureInfo.InvariantCulture)),
                LabelledPromptFile.Escape(c.First), LabelledPromptFile.Escape(c.Second)]));
        }
    }
}
