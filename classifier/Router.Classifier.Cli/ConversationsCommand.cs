using System.Globalization;
using Router.Classifier.Conversations;
using Router.Classifier.Data;

namespace Router.Classifier.Cli;

/// <summary>
/// Measures <see cref="ConversationRouting"/> on a file of two-turn conversations
/// (<c>first&lt;TAB&gt;category&lt;TAB&gt;second&lt;TAB&gt;expected category&lt;TAB&gt;follow-up|topic-change</c>):
/// how often follow-ups stay and topic changes move, under the shipped switch or one written by <c>fit-switch</c>.
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
        var rule = commandLine.Get("switch") is { } switchPath ? LoadSwitch(switchPath) : ConversationRouting.Switch(null);
        if (commandLine.Get("move-above") is { } moveAbove)
        {
            rule = rule with { MoveAbove = double.Parse(moveAbove, CultureInfo.InvariantCulture) };
        }

        if (commandLine.Get("dump") is { } dumpPath)
        {
            Dump(model, conversations, dumpPath);
        }

        var result = ConversationEvaluator.Evaluate(model, conversations, rule, stripOpeners: !commandLine.Has("keep-openers"));
        Console.WriteLine($"{conversations.Count} conversations; {"move above",12} {"follow-ups stay",16} {"topic changes move",19} {"model right",11} {"cross-model changes reach their model",38}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"",17}{rule.MoveAbove,12:F2} {result.FollowUpsStay,16:P1} {result.TopicChangesMove,19:P1} {result.ModelAccuracy,11:P1} {result.CrossModelChangesMove,38:P1}"));
        if (commandLine.Has("misses"))
        {
            foreach (var miss in result.Misses)
            {
                Console.WriteLine($"  {miss}");
            }
        }

        return 0;
    }

    private static ConversationSwitch LoadSwitch(string path)
    {
        using var stream = File.OpenRead(path);
        return ConversationSwitch.Load(stream);
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
