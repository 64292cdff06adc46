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
        Console.WriteLine($"{conversations.Count} conversations; {"switch above",12} {"follow-ups stay",16} {"topic changes move",19} {"model right",11}");
        foreach (var bound in bounds)
        {
            var result = ConversationEvaluator.Evaluate(model, conversations, bound, followUpAbove);
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
}
