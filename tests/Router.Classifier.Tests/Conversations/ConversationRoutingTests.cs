using Router.Classifier.Conversations;

namespace Router.Classifier.Tests.Conversations;

public sealed class ConversationRoutingTests
{
    private static readonly ConversationState OnCode = new("qwen2.5-coder", PromptCategories.Code);

    // A switch that moves exactly when the follow-up detector gives less than one half: the intercept and the follow-up
    // log-odds (feature 3) alone, so each test below can say which way it must go.
    private static readonly ConversationSwitch MovesUnlessFollowUp = new(
        [.. Enumerable.Range(0, ConversationSwitch.FeatureCount).Select(i => i == 3 ? -1.0 : 0.0)], MoveAbove: 0.5);

    [Fact]
    public void A_first_turn_is_routed_on_its_own()
    {
        var decision = ConversationRouting.Decide(null, "why?", Classified("llama3.2", PromptCategories.Knowledge, 0.55), followUpProbability: 0.9,
            rule: MovesUnlessFollowUp);

        Assert.Equal(new ConversationDecision("llama3.2", PromptCategories.Knowledge, 0.55, Sticky: false), decision);
    }

    [Fact]
    public void A_message_the_switch_calls_a_change_of_topic_moves()
    {
        var decision = ConversationRouting.Decide(OnCode, "what is 17 squared", Classified("deepseek-r1", PromptCategories.Math, 0.7),
            followUpProbability: 0.2, rule: MovesUnlessFollowUp);

        Assert.Equal(new ConversationDecision("deepseek-r1", PromptCategories.Math, 0.7, Sticky: false), decision);
    }

    [Fact]
    public void A_message_the_switch_calls_a_follow_up_stays_on_the_conversations_model_and_says_so()
    {
        var decision = ConversationRouting.Decide(OnCode, "make it shorter", Classified("llama3.2", PromptCategories.TextTransformation, 0.99),
            followUpProbability: 0.8, rule: MovesUnlessFollowUp);

        Assert.Equal(new ConversationDecision("qwen2.5-coder", PromptCategories.Code, 0.99, Sticky: true), decision);
    }

    [Fact]
    public void A_message_of_the_conversations_own_category_takes_its_own_decision_and_is_not_sticky()
    {
        var decision = ConversationRouting.Decide(OnCode, "and in rust?", Classified("qwen2.5-coder", PromptCategories.Code, 0.4),
            followUpProbability: 0.99, rule: MovesUnlessFollowUp);

        Assert.Equal(new ConversationDecision("qwen2.5-coder", PromptCategories.Code, 0.4, Sticky: false), decision);
    }

    [Fact]
    public void The_shipped_switch_holds_a_message_back_the_more_it_reads_as_a_follow_up()
    {
        const string Message = "what is the capital of Australia";
        var reading = Classified("llama3.2", PromptCategories.Knowledge, 0.9);
        var rule = ConversationRouting.Switch(null);

        var unlikely = rule.Probability(Message, PromptCategories.Code, reading, 0.01, announcesNewTopic: false);
        var likely = rule.Probability(Message, PromptCategories.Code, reading, 0.9, announcesNewTopic: false);

        Assert.True(unlikely > likely, $"follow-up 0.01 gives {unlikely:F3}, 0.9 gives {likely:F3}");
        Assert.Equal(likely >= rule.MoveAbove, !ConversationRouting.Decide(OnCode, Message, reading, 0.9).Sticky);
        Assert.Equal(unlikely >= rule.MoveAbove, !ConversationRouting.Decide(OnCode, Message, reading, 0.01).Sticky);
    }

    [Fact]
    public void The_shipped_switch_gives_an_announced_change_of_topic_and_a_more_confident_reading_more_weight()
    {
        const string Message = "who painted the night watch";
        var rule = ConversationRouting.Switch(null);
        var unsure = Classified("llama3.2", PromptCategories.Knowledge, 0.6);
        var sure = Classified("llama3.2", PromptCategories.Knowledge, 0.98);

        var silent = rule.Probability(Message, PromptCategories.Code, unsure, 0.1, announcesNewTopic: false);
        var announced = rule.Probability(Message, PromptCategories.Code, unsure, 0.1, announcesNewTopic: true);
        var confident = rule.Probability(Message, PromptCategories.Code, sure, 0.1, announcesNewTopic: false);

        Assert.True(announced > silent, $"announced {announced:F3}, silent {silent:F3}");
        Assert.True(confident > silent, $"confidence 0.98 gives {confident:F3}, 0.6 gives {silent:F3}");
    }

    [Fact]
    public void Replaying_a_history_recognises_an_announced_change_of_topic()
    {
        // A switch that moves only on an announcement (feature 4).
        var announcedOnly = new ConversationSwitch([.. Enumerable.Range(0, ConversationSwitch.FeatureCount).Select(i => i == 4 ? 2.0 : i == 0 ? -1.0 : 0.0)], 0.5);
        var answers = new Dictionary<string, PromptClassification>
        {
            ["write quicksort in python"] = Classified("qwen2.5-coder", PromptCategories.Code, 0.98),
            ["By the way, who built the pyramids?"] = Classified("llama3.2", PromptCategories.Knowledge, 0.7),
            ["who built the pyramids?"] = Classified("llama3.2", PromptCategories.Knowledge, 0.7),
        };

        var announced = ConversationRouting.DecideLast(["write quicksort in python", "By the way, who built the pyramids?"], m => answers[m], _ => 0, rule: announcedOnly);
        var silent = ConversationRouting.DecideLast(["write quicksort in python", "who built the pyramids?"], m => answers[m], _ => 0, rule: announcedOnly);

        Assert.Equal("llama3.2", announced.Model);
        Assert.False(announced.Sticky);
        Assert.Equal("qwen2.5-coder", silent.Model);
        Assert.True(silent.Sticky);
    }

    [Fact]
    public void Replaying_a_history_keeps_a_follow_up_on_the_first_turns_model_and_reads_only_the_last_turns()
    {
        var answers = new Dictionary<string, PromptClassification>
        {
            ["write quicksort in python"] = Classified("qwen2.5-coder", PromptCategories.Code, 0.98),
            ["why?"] = Classified("llama3.2", PromptCategories.Knowledge, 0.8),
            ["and in rust?"] = Classified("llama3.2", PromptCategories.Conversation, 0.95),
        };
        var asked = new List<string>();
        PromptClassification Classify(string m)
        {
            asked.Add(m);
            return answers[m];
        }

        var decision = ConversationRouting.DecideLast(["write quicksort in python", "why?", "and in rust?"], Classify, _ => 0.7, rule: MovesUnlessFollowUp);
        var shortened = ConversationRouting.DecideLast(["write quicksort in python", "why?", "and in rust?"], Classify, _ => 0.7, maxTurns: 1,
            rule: MovesUnlessFollowUp);

        Assert.Equal(new ConversationDecision("qwen2.5-coder", PromptCategories.Code, 0.95, Sticky: true), decision);
        Assert.Equal("llama3.2", shortened.Model);
        Assert.Equal(4, asked.Count);
    }

    [Fact]
    public void An_announced_change_of_topic_is_weighed_by_its_more_confident_reading()
    {
        const string First = "sketch a bash loop that renames every jpeg in a folder";
        const string Announced = "Übrigens: wie viele Beine hat eine Spinne?";
        const string Content = "wie viele Beine hat eine Spinne?";
        var answers = new Dictionary<string, PromptClassification>
        {
            [First] = Classified("qwen2.5-coder", PromptCategories.Code, 0.97),
            [Announced] = Classified("qwen2.5-coder", PromptCategories.Code, 0.45), // the opener pulled the reading back to the conversation
            [Content] = Classified("llama3.2", PromptCategories.Knowledge, 0.8),
        };

        var decision = ConversationRouting.DecideLast([First, Announced], m => answers[m], _ => 0.01, rule: MovesUnlessFollowUp);
        var reading = ConversationRouting.ReadInConversation(Announced, m => answers[m], out var announces);

        Assert.Equal(new ConversationDecision("llama3.2", PromptCategories.Knowledge, 0.8, Sticky: false), decision);
        Assert.True(announces);
        Assert.Same(answers[Content], reading);
    }

    [Fact]
    public void The_whole_reading_counts_when_it_is_the_more_confident_and_a_first_turn_is_never_stripped()
    {
        const string Announced = "Übrigens: wie viele Beine hat eine Spinne?";
        const string Content = "wie viele Beine hat eine Spinne?";
        var answers = new Dictionary<string, PromptClassification>
        {
            [Announced] = Classified("llama3.2", PromptCategories.Knowledge, 0.9),
            [Content] = Classified("llama3.2", PromptCategories.Conversation, 0.6),
        };
        var asked = new List<string>();
        PromptClassification Classify(string m)
        {
            asked.Add(m);
            return answers[m];
        }

        var reading = ConversationRouting.ReadInConversation(Announced, Classify, out _);
        asked.Clear();
        var first = ConversationRouting.DecideLast([Announced], Classify, _ => 0);

        Assert.Same(answers[Announced], reading);
        Assert.Equal(PromptCategories.Knowledge, first.Category);
        Assert.Equal([Announced], asked);
    }

    [Fact]
    public void Without_a_follow_up_detector_a_message_moves_on_confidence_or_an_announcement_alone()
    {
        // The classifier service has no detector; the switch, fitted on the detector's readings, is then not asked.
        const string Question = "Who designed the Sydney Opera House, and when was it finished?";
        var sure = Classified("llama3.2", PromptCategories.Knowledge, 0.95);
        var unsure = Classified("llama3.2", PromptCategories.Knowledge, 0.7);

        var moved = ConversationRouting.Decide(OnCode, Question, sure, ConversationRouting.WithoutDetector, rule: MovesUnlessFollowUp);
        var kept = ConversationRouting.Decide(OnCode, Question, unsure, ConversationRouting.WithoutDetector, rule: MovesUnlessFollowUp);
        var announced = ConversationRouting.Decide(OnCode, "By the way, " + Question, unsure, ConversationRouting.WithoutDetector, announcesNewTopic: true,
            rule: MovesUnlessFollowUp);

        Assert.Equal(new ConversationDecision("llama3.2", PromptCategories.Knowledge, 0.95, Sticky: false), moved);
        Assert.Equal(new ConversationDecision("qwen2.5-coder", PromptCategories.Code, 0.7, Sticky: true), kept);
        Assert.False(announced.Sticky);
    }

    [Fact]
    public void An_empty_history_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ConversationRouting.DecideLast([], _ => throw new InvalidOperationException(), _ => 0));
    }

    private static PromptClassification Classified(string model, string category, double confidence) =>
        new(model, category, confidence, new Dictionary<string, double> { [category] = confidence });
}
