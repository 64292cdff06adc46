using Router.Classifier.Data;

namespace Router.Classifier.Tests;

/// <summary>The shipped data files, copied beside the test assembly.</summary>
internal static class TestData
{
    public static string TrainPath => Path.Combine(AppContext.BaseDirectory, "data", "train.tsv");

    public static string HoldoutPath => Path.Combine(AppContext.BaseDirectory, "data", "holdout.tsv");

    /// <summary>Prompts written apart from the split to test generalisation; never trained on.</summary>
    public static string ChallengePath => Path.Combine(AppContext.BaseDirectory, "data", "challenge.tsv");

    /// <summary>Prompts written separately from all other data, in another voice; never trained on or tuned with.</summary>
    public static string OutsidePath => Path.Combine(AppContext.BaseDirectory, "data", "outside.tsv");

    public static IReadOnlyList<LabelledPrompt> Outside() => LabelledPromptFile.Read(OutsidePath);

    public static IReadOnlyList<LabelledPrompt> Train() => LabelledPromptFile.Read(TrainPath);

    public static IReadOnlyList<LabelledPrompt> Holdout() => LabelledPromptFile.Read(HoldoutPath);

    public static IReadOnlyList<LabelledPrompt> Challenge() => LabelledPromptFile.Read(ChallengePath);

    /// <summary>The second outside set: strangers' voices and six languages; never trained on or tuned with.</summary>
    public static IReadOnlyList<LabelledPrompt> Outside2() => LabelledPromptFile.Read(Path.Combine(AppContext.BaseDirectory, "data", "outside2.tsv"));

    /// <summary>Prompts in the new voices used to choose settings and fit the calibration; never trained on.</summary>
    public static IReadOnlyList<LabelledPrompt> Validation() => LabelledPromptFile.Read(Path.Combine(AppContext.BaseDirectory, "data", "validation.tsv"));

    /// <summary>Two-turn conversations: follow-ups and changes of topic.</summary>
    public static string ConversationsPath => Path.Combine(AppContext.BaseDirectory, "data", "conversations.tsv");

    /// <summary>Two-turn conversations written after the rule and the follow-up fragments; never trained on.</summary>
    public static string Conversations2Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations2.tsv");

    /// <summary>Two-turn conversations written before the third round changed the rule; never trained or tuned on.</summary>
    public static string Conversations3Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations3.tsv");

    /// <summary>Two-turn conversations written before the fourth round changed the data or the rule; never trained or tuned on.</summary>
    public static string Conversations4Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations4.tsv");

    /// <summary>Two-turn conversations written before the fifth round changed anything; measured once at its end.</summary>
    public static string Conversations5Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations5.tsv");

    /// <summary>Two-turn conversations written before the sixth round changed anything; measured once at its end.</summary>
    public static string Conversations6Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations6.tsv");

    /// <summary>Two-turn conversations written before the seventh round changed anything; measured once at its end.</summary>
    public static string Conversations7Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations7.tsv");

    /// <summary>Two-turn conversations written before the eighth round changed anything; measured once at its end.</summary>
    public static string Conversations8Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations8.tsv");

    /// <summary>Two-turn conversations written before the ninth round changed anything; measured once at its end.</summary>
    public static string Conversations9Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations9.tsv");

    /// <summary>Two-turn conversations written before the tenth round changed anything; measured once at its end.</summary>
    public static string Conversations10Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations10.tsv");

    /// <summary>Two-turn conversations written before the eleventh round changed anything; measured once at its end.</summary>
    public static string Conversations11Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations11.tsv");

    /// <summary>Two-turn conversations written before the twelfth round changed anything; measured once at its end.</summary>
    public static string Conversations12Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations12.tsv");

    /// <summary>Two-turn conversations written beside the twelfth set as the twelfth round's second check; measured once at its end.</summary>
    public static string Conversations13Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations13.tsv");

    /// <summary>Two-turn conversations written before the thirteenth round changed anything; measured once at its end.</summary>
    public static string Conversations14Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations14.tsv");

    /// <summary>Two-turn conversations written before the thirteenth round changed anything, as its second check; measured once at its end.</summary>
    public static string Conversations15Path => Path.Combine(AppContext.BaseDirectory, "data", "conversations15.tsv");

    /// <summary>
    /// The conversation sets the rule was developed on (the first to the thirteenth), whose turns the shipped models also train
    /// on (<c>train --conversations</c>; since the twelfth round the first eleven, since the thirteenth the twelfth and
    /// thirteenth too, once they had measured the twelfth round).
    /// </summary>
    public static IReadOnlyList<string> DevelopmentConversationPaths =>
    [
        ConversationsPath, Conversations2Path, Conversations3Path, Conversations4Path, Conversations5Path, Conversations6Path,
        Conversations7Path, Conversations8Path, Conversations9Path, Conversations10Path, Conversations11Path, Conversations12Path,
        Conversations13Path,
    ];

    /// <summary>The labelled sets that measure the models (<c>train --keep-out</c>): no conversation turn near one of their prompts is trained on.</summary>
    public static IEnumerable<string> MeasuringPrompts() =>
        new[] { Holdout(), Outside(), Outside2(), Challenge(), Validation() }.SelectMany(set => set).Select(p => p.Message);

    /// <summary>What the shipped models learn from, as <c>train --conversations … --keep-out …</c> assembles it (read once).</summary>
    public static (IReadOnlyList<LabelledPrompt> Prompts, IReadOnlyList<string> FollowUps) TrainedOn() => AssembledTrainingData.Value;

    private static readonly Lazy<(IReadOnlyList<LabelledPrompt> Prompts, IReadOnlyList<string> FollowUps)> AssembledTrainingData = new(() =>
    {
        var (prompts, followUps, _) = Router.Classifier.Conversations.ConversationTrainingTurns.Assemble(Train(),
            Router.Classifier.Conversations.FollowUpDetector.ReadFollowUps(FollowUpsPath), DevelopmentConversationPaths, MeasuringPrompts());
        return (prompts, followUps);
    });

    /// <summary>The follow-up fragments the follow-up detector trains on.</summary>
    public static string FollowUpsPath => Path.Combine(AppContext.BaseDirectory, "data", "followups.txt");
}
