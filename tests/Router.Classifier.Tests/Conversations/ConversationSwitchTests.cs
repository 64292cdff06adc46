using Router.Classifier.Conversations;

namespace Router.Classifier.Tests.Conversations;

public sealed class ConversationSwitchTests
{
    [Fact]
    public void The_features_carry_the_readings_log_odds_the_announcement_the_length_and_both_categories()
    {
        var reading = new PromptClassification("deepseek-r1", PromptCategories.Math, 0.9,
            new Dictionary<string, double> { [PromptCategories.Math] = 0.9, [PromptCategories.Code] = 0.1 });
        var features = new double[ConversationSwitch.FeatureCount];

        ConversationSwitch.Features("and what is 17 squared", PromptCategories.Code, reading, 0.2, announcesNewTopic: true, features);

        var categories = PromptCategories.All.Count;
        Assert.Equal(1, features[0]);
        Assert.Equal(Math.Log(0.1 / 0.9), features[1], 9);
        Assert.Equal(Math.Log(0.9 / 0.1), features[2], 9);
        Assert.Equal(Math.Log(0.2 / 0.8), features[3], 9);
        Assert.Equal(1, features[4]);
        Assert.Equal(0, features[5]); // it leans on the previous turn ("and …"), so it does not look self-contained
        Assert.Equal(Math.Log(1 + 5), features[6], 9);
        Assert.Equal(1, features[7]);
        Assert.Equal(features[2], features[8]); // under the follow-up bound the own confidence counts twice
        Assert.Equal(1, features[9 + IndexOf(PromptCategories.Code)]);
        Assert.Equal(1, features[9 + categories + IndexOf(PromptCategories.Math)]);
        Assert.Equal(2, features.Skip(9).Sum());
    }

    [Fact]
    public void Fitting_recovers_a_rule_that_separates_changes_from_follow_ups()
    {
        // Synthetic conversations: a change of topic exactly when the follow-up log-odds (feature 3) is below the own
        // confidence's (feature 2) minus one; the fitted switch must agree on fresh rows.
        var random = new Random(7);
        double[] Row()
        {
            var x = new double[ConversationSwitch.FeatureCount];
            x[0] = 1;
            x[2] = random.NextDouble() * 8 - 4;
            x[3] = random.NextDouble() * 8 - 4;
            x[6] = random.NextDouble() * 3;
            return x;
        }

        static bool IsChange(double[] x) => x[3] < x[2] - 1;
        var rows = Enumerable.Range(0, 600).Select(_ => Row()).ToList();

        var weights = ConversationSwitchFit.Fit(rows, [.. rows.Select(IsChange)], l2: 0.01);

        var fresh = Enumerable.Range(0, 400).Select(_ => Row()).ToList();
        var agree = fresh.Count(x => ConversationSwitch.Probability(weights, x) >= 0.5 == IsChange(x));
        Assert.True(agree >= 390, $"the fitted switch agrees on {agree} of 400 rows");
    }

    [Fact]
    public void A_saved_switch_loads_back_and_one_of_another_feature_count_is_refused()
    {
        var path = Path.GetTempFileName();
        try
        {
            var rule = new ConversationSwitch([.. Enumerable.Range(0, ConversationSwitch.FeatureCount).Select(i => i / 10.0)], 0.55);
            rule.Save(path);
            using (var stream = File.OpenRead(path))
            {
                var loaded = ConversationSwitch.Load(stream);
                Assert.Equal(rule.Weights, loaded.Weights);
                Assert.Equal(0.55, loaded.MoveAbove);
            }

            new ConversationSwitch([1, 2, 3], 0.5).Save(path);
            using var wrong = File.OpenRead(path);
            var error = Assert.Throws<InvalidDataException>(() => ConversationSwitch.Load(wrong));
            Assert.Contains("3 weights", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_library_ships_a_switch_for_this_builds_features()
    {
        var shipped = ConversationSwitch.Shipped;

        Assert.NotNull(shipped);
        Assert.Equal(ConversationSwitch.FeatureCount, shipped.Weights.Count);
        Assert.InRange(shipped.MoveAbove, 0.05, 0.95);
    }

    private static int IndexOf(string category) => PromptCategories.All.ToList().IndexOf(category);
}
