using Router.Classifier.Conversations;
using Router.Classifier.Data;
using Router.Classifier.Tests.Model;

namespace Router.Classifier.Tests.Conversations;

/// <summary>
/// The conversation rule with the shipped model on the first four conversation sets (classifier/data/conversations.tsv to
/// conversations4.tsv), each a check once and a development set since; since the twelfth round the models also train on
/// their turns and the switch is fitted on them, so these floors only catch a regression. Of the later sets (to
/// classifier/data/conversations14.tsv and classifier/data/conversations15.tsv, which measure the thirteenth round) only the
/// form is checked here; the README gives each one's figures as it was measured.
/// </summary>
[Collection(TrainedModelCollection.Name)]
public sealed class ConversationSetTests(TrainedModelFixture fixture)
{
    [Fact]
    public void Follow_ups_mostly_stay_and_changes_of_topic_mostly_move()
    {
        var conversations = TwoTurnConversationFile.Read(TestData.ConversationsPath);

        var report = ConversationEvaluator.Evaluate(fixture.Model, conversations);

        // Measured 99.1 % of follow-ups staying and 100 % of changes moving since the fifth round (targets 95 % and 90 %).
        var misses = string.Join("\n", report.Misses);
        Assert.True(report.FollowUpsStay >= 0.95, $"follow-ups stay {report.FollowUpsStay:P1}\n{misses}");
        Assert.True(report.TopicChangesMove >= 0.90, $"topic changes move {report.TopicChangesMove:P1}\n{misses}");
        Assert.True(conversations.Count(c => c.IsFollowUp) >= 100 && conversations.Count(c => !c.IsFollowUp) >= 80, "too few conversations");
    }

    [Fact]
    public void On_the_second_set_follow_ups_mostly_stay_and_changes_mostly_move()
    {
        var conversations = TwoTurnConversationFile.Read(TestData.Conversations2Path);

        var report = ConversationEvaluator.Evaluate(fixture.Model, conversations);

        // Measured 98.3 % and 94.4 % since the fifth round (93.3 % and 88.9 % before the third, which tuned on this
        // set); the floors sit a few conversations lower so that a regression fails.
        var misses = string.Join("\n", report.Misses);
        Assert.True(report.FollowUpsStay >= 0.93, $"follow-ups stay {report.FollowUpsStay:P1}\n{misses}");
        Assert.True(report.TopicChangesMove >= 0.88, $"topic changes move {report.TopicChangesMove:P1}\n{misses}");
        Assert.True(conversations.Count(c => c.IsFollowUp) >= 60 && conversations.Count(c => !c.IsFollowUp) >= 36, "too few conversations");
    }

    [Fact]
    public void On_the_set_written_before_the_third_round_follow_ups_mostly_stay_and_changes_mostly_move()
    {
        var conversations = TwoTurnConversationFile.Read(TestData.Conversations3Path);

        var report = ConversationEvaluator.Evaluate(fixture.Model, conversations);

        // Measured once at the end of the third round: 95.9 % of follow-ups staying and 86.6 % of changes moving. The
        // fourth round tuned on it: 96.7 % and 92.7 %; the fifth 100 % and 93.9 %. The floors sit a few conversations lower
        // so that a regression fails.
        var misses = string.Join("\n", report.Misses);
        Assert.True(report.FollowUpsStay >= 0.95, $"follow-ups stay {report.FollowUpsStay:P1}\n{misses}");
        Assert.True(report.TopicChangesMove >= 0.89, $"topic changes move {report.TopicChangesMove:P1}\n{misses}");
        Assert.True(conversations.Count(c => c.IsFollowUp) >= 120 && conversations.Count(c => !c.IsFollowUp) >= 80, "too few conversations");
    }

    [Fact]
    public void On_the_set_written_before_the_fourth_round_follow_ups_mostly_stay_and_changes_mostly_move()
    {
        var conversations = TwoTurnConversationFile.Read(TestData.Conversations4Path);

        var report = ConversationEvaluator.Evaluate(fixture.Model, conversations);

        // Measured once, after the fourth round's tuning on the other three sets: 93.3 % of follow-ups staying (target
        // 95 %, not met) and 85.1 % of changes moving (target 90 %, not met). The fifth round used it as its check:
        // 96.7 % and 92.6 % (the README says how clean that check is). The floors sit a few conversations lower so that a
        // regression fails.
        var misses = string.Join("\n", report.Misses);
        Assert.True(report.FollowUpsStay >= 0.93, $"follow-ups stay {report.FollowUpsStay:P1}\n{misses}");
        Assert.True(report.TopicChangesMove >= 0.88, $"topic changes move {report.TopicChangesMove:P1}\n{misses}");
        Assert.True(conversations.Count(c => c.IsFollowUp) >= 60 && conversations.Count(c => !c.IsFollowUp) >= 90, "too few conversations");
    }

    // Only their form is checked here: each set is measured once, at the end of the round it was written before
    // (classifier/README.md). The counts are the ones the README gives; a change to them means the set was edited after
    // it was committed. The fifth set was held to looser category floors than the later ones.
    [Theory]
    [InlineData(5, 112, 150, 25, 25)]
    [InlineData(6, 110, 133, 30, 20)]
    [InlineData(7, 112, 134, 30, 20)]
    [InlineData(8, 118, 135, 30, 20)]
    [InlineData(9, 112, 138, 30, 20)]
    [InlineData(10, 113, 137, 30, 20)]
    [InlineData(11, 119, 137, 30, 20)]
    [InlineData(12, 115, 135, 30, 20)]
    [InlineData(13, 116, 134, 30, 20)]
    [InlineData(14, 115, 135, 30, 20)]
    [InlineData(15, 115, 135, 30, 20)]
    public void A_set_written_before_its_round_is_well_formed(int set, int followUps, int topicChanges, int minFirstTurns, int minChangesTo)
    {
        var conversations = TwoTurnConversationFile.Read(WrittenBeforeItsRound(set));
        var changes = conversations.Where(c => !c.IsFollowUp).ToList();

        Assert.Equal(followUps, conversations.Count(c => c.IsFollowUp));
        Assert.Equal(topicChanges, changes.Count);
        Assert.All(conversations.Where(c => c.IsFollowUp), c => Assert.Equal(c.FirstCategory, c.ExpectedCategory));
        Assert.All(conversations, c => Assert.False(string.IsNullOrWhiteSpace(c.First) || string.IsNullOrWhiteSpace(c.Second), "an empty turn"));
        foreach (var category in PromptCategories.All)
        {
            Assert.True(conversations.Count(c => c.FirstCategory == category) >= minFirstTurns, $"{category}: too few first turns");
            Assert.True(changes.Count(c => c.ExpectedCategory == category) >= minChangesTo, $"{category}: too few changes of topic to it");
        }

        var keys = conversations.Select(c => Key(c.First) + "\t" + Key(c.Second)).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    private static string WrittenBeforeItsRound(int set) => set switch
    {
        5 => TestData.Conversations5Path,
        6 => TestData.Conversations6Path,
        7 => TestData.Conversations7Path,
        8 => TestData.Conversations8Path,
        9 => TestData.Conversations9Path,
        10 => TestData.Conversations10Path,
        11 => TestData.Conversations11Path,
        12 => TestData.Conversations12Path,
        13 => TestData.Conversations13Path,
        14 => TestData.Conversations14Path,
        15 => TestData.Conversations15Path,
        _ => throw new ArgumentOutOfRangeException(nameof(set), set, "no such conversation set"),
    };

    [Fact]
    public void No_turn_of_a_set_that_measures_a_round_is_trained_on()
    {
        var (prompts, followUps) = TestData.TrainedOn();
        var learned = prompts.Select(p => Key(p.Message)).Concat(followUps.Select(Key)).ToHashSet(StringComparer.Ordinal);
        var measuring = new[] { TestData.Conversations14Path, TestData.Conversations15Path }.SelectMany(TwoTurnConversationFile.Read).ToList();

        Assert.DoesNotContain(measuring.SelectMany(c => new[] { c.First, c.Second }), t => learned.Contains(Key(t)));
    }

    private static string Key(string message) => message.Trim().ToLowerInvariant();

    [Fact]
    public void The_shipped_model_carries_a_follow_up_detector_that_tells_a_fragment_from_a_request()
    {
        var detector = fixture.Model.FollowUps;

        Assert.NotNull(detector);
        Assert.True(detector.Probability("can you make it shorter?") > detector.Probability("Write a Python function that reverses a linked list."));
    }
}
