using Router.Classifier.Conversations;
using Router.Classifier.Data;

namespace Router.Classifier.Tests.Conversations;

/// <summary>
/// classifier/data/conversations14.tsv and conversations15.tsv judge the thirteenth round only if nothing the models learn
/// from paraphrases their turns: no training prompt, validation prompt, follow-up fragment or turn of the conversation sets
/// the models train on (the first to the thirteenth) may nearly duplicate one of them (<see cref="NearDuplicates"/>). The
/// earlier sets had the same check while they measured a round; their turns are training data now.
/// </summary>
public sealed class ConversationSetHygieneTests
{
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("conversations14.tsv")]
    [InlineData("conversations15.tsv")]
    public void Nothing_the_models_learn_from_nearly_duplicates_a_turn_of_a_set_written_before_its_round(string set)
    {
        var (prompts, followUps) = TestData.TrainedOn();
        var learnedFrom = new NearDuplicates(prompts.Select(p => p.Message).Concat(TestData.Validation().Select(p => p.Message)).Concat(followUps));
        var turns = TwoTurnConversationFile.Read(Path.Combine(AppContext.BaseDirectory, "data", set)).SelectMany(c => new[] { c.First, c.Second });

        var leaks = turns.SelectMany(t => learnedFrom.Of(t).Select(m => $"{m}  ~  {t}")).ToList();

        Assert.True(leaks.Count == 0, $"near-duplicates of {set} turns in what the models learn from:\n" + string.Join("\n", leaks));
    }

    [Fact]
    public void The_fourteenth_and_fifteenth_sets_do_not_nearly_repeat_each_other()
    {
        var fourteenth = new NearDuplicates(TwoTurnConversationFile.Read(TestData.Conversations14Path).SelectMany(c => new[] { c.First, c.Second }));

        var close = TwoTurnConversationFile.Read(TestData.Conversations15Path).SelectMany(c => new[] { c.First, c.Second })
            .SelectMany(t => fourteenth.Of(t).Select(m => $"{m}  ~  {t}")).ToList();

        Assert.True(close.Count == 0, "near-duplicates between conversations14.tsv and conversations15.tsv:\n" + string.Join("\n", close));
    }
}
