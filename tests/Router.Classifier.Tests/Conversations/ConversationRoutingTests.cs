using Router.Classifier.Conversations;

namespace Router.Classifier.Tests.Conversations;

public sealed class ConversationRoutingTests
{
    private static readonly ConversationState OnCode = new("qwen2.5-coder", PromptCategories.Code);

    [Fact]
    public void A_first_turn_is_routed_on_its_own()
    {
        var decision = ConversationRouting.Decide(null, Classified("llama3.2", PromptCategories.Knowledge, 0.55), followUpProbability: 0.9);

        Assert.Equal(new ConversationDecision("llama3.2", PromptCategories.Knowledge, 0.55, Sticky: false), decision);
    }

    [Fact]
    public void An_unsure_message_of_another_category_stays_on_the_conversations_model_and_says_so()
    {
        var decision = ConversationRouting.Decide(OnCode, Classified("llama3.2", PromptCategories.Conversation, 0.7), followUpProbability: 0);

        Assert.Equal(new ConversationDecision("qwen2.5-coder", PromptCategories.Code, 0.7, Sticky: true), decision);
    }

    [Fact]
    public void A_confident_message_of_another_category_moves()
    {
        var decision = ConversationRouting.Decide(OnCode, Classified("deepseek-r1", PromptCategories.Math, 0.97), followUpProbability: 0.05);

        Assert.Equal(new ConversationDecision("deepseek-r1", PromptCategories.Math, 0.97, Sticky: false), decision);
    }

    [Fact]
    public void A_confident_message_that_reads_as_a_follow_up_stays()
    {
        var decision = ConversationRouting.Decide(OnCode, Classified("llama3.2", PromptCategories.TextTransformation, 0.99), followUpProbability: 0.6);

        Assert.True(decision.Sticky);
        Assert.Equal("qwen2.5-coder", decision.Model);
    }

    [Fact]
    public void An_unsure_message_that_announces_a_change_of_topic_moves_unless_it_reads_as_a_follow_up()
    {
        var unsure = Classified("llama3.2", PromptCategories.Knowledge, 0.6);

        var moved = ConversationRouting.Decide(OnCode, unsure, followUpProbability: 0.05, announcesNewTopic: true);
        var kept = ConversationRouting.Decide(OnCode, unsure, followUpProbability: 0.8, announcesNewTopic: true);

        Assert.Equal(new ConversationDecision("llama3.2", PromptCategories.Knowledge, 0.6, Sticky: false), moved);
        Assert.True(kept.Sticky);
    }

    [Fact]
    public void An_announced_change_of_topic_needs_a_stronger_follow_up_reading_to_stay_than_a_silent_one()
    {
        var confident = Classified("llama3.2", PromptCategories.Knowledge, 0.95);

        var announced = ConversationRouting.Decide(OnCode, confident, followUpProbability: 0.4, announcesNewTopic: true);
        var silent = ConversationRouting.Decide(OnCode, confident, followUpProbability: 0.4);
        var announcedButLeaning = ConversationRouting.Decide(OnCode, confident, followUpProbability: 0.5, announcesNewTopic: true);

        Assert.False(announced.Sticky);
        Assert.Equal("llama3.2", announced.Model);
        Assert.True(silent.Sticky);
        Assert.True(announcedButLeaning.Sticky);
    }

    [Fact]
    public void A_message_the_classifier_is_all_but_certain_of_needs_a_stronger_follow_up_reading_to_stay()
    {
        var certain = Classified("llama3.2", PromptCategories.Knowledge, 0.995);
        var sure = Classified("llama3.2", PromptCategories.Knowledge, 0.95);

        var certainMoves = ConversationRouting.Decide(OnCode, certain, followUpProbability: 0.3);
        var sureStays = ConversationRouting.Decide(OnCode, sure, followUpProbability: 0.3);
        var certainButLeaning = ConversationRouting.Decide(OnCode, certain, followUpProbability: 0.4);

        Assert.False(certainMoves.Sticky);
        Assert.Equal("llama3.2", certainMoves.Model);
        Assert.True(sureStays.Sticky);
        Assert.True(certainButLeaning.Sticky);
    }

    [Fact]
    public void Replaying_a_history_recognises_an_announced_change_of_topic()
    {
        var answers = new Dictionary<string, PromptClassification>
        {
            ["write quicksort in python"] = Classified("qwen2.5-coder", PromptCategories.Code, 0.98),
            ["By the way, who built the pyramids?"] = Classified("llama3.2", PromptCategories.Knowledge, 0.7),
            ["who built the pyramids?"] = Classified("llama3.2", PromptCategories.Knowledge, 0.7),
        };

        var announced = ConversationRouting.DecideLast(["write quicksort in python", "By the way, who built the pyramids?"], m => answers[m], _ => 0);
        var silent = ConversationRouting.DecideLast(["write quicksort in python", "who built the pyramids?"], m => answers[m], _ => 0);

        Assert.Equal("llama3.2", announced.Model);
        Assert.False(announced.Sticky);
        Assert.Equal("qwen2.5-coder", silent.Model);
    }

    [Fact]
    public void A_message_of_the_conversations_own_category_takes_its_own_decision_and_is_not_sticky()
    {
        var decision = ConversationRouting.Decide(OnCode, Classified("qwen2.5-coder", PromptCategories.Code, 0.4), followUpProbability: 0);

        Assert.False(decision.Sticky);
        Assert.Equal("qwen2.5-coder", decision.Model);
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

        var decision = ConversationRouting.DecideLast(["write quicksort in python", "why?", "and in rust?"], Classify, m => m == "and in rust?" ? 0.7 : 0);
        var shortened = ConversationRouting.DecideLast(["write quicksort in python", "why?", "and in rust?"], Classify, _ => 0, maxTurns: 1);

        Assert.Equal(new ConversationDecision("qwen2.5-coder", PromptCategories.Code, 0.95, Sticky: true), decision);
        Assert.Equal("llama3.2", shortened.Model);
        Assert.Equal(4, asked.Count);
    }

    [Theory]
    [InlineData("sketch a bash loop that renames every jpeg in a folder", 0.001, 0.6)]
    [InlineData("sketch a bash loop that renames every jpeg in a folder", 0.01, 0.9)]
    [InlineData("a bash loop, please", 0.001, 0.9)]
    [InlineData("and what would the same loop look like in PowerShell?", 0.001, 0.9)]
    public void Only_a_self_contained_message_the_detector_rules_out_gets_the_lower_bound(string message, double followUp, double bound) =>
        Assert.Equal(bound, ConversationRouting.SwitchBound(message, followUp));

    [Fact]
    public void Without_a_follow_up_detector_a_self_contained_message_keeps_the_plain_bound_and_is_not_held_back()
    {
        const string Long = "sketch a bash loop that renames every jpeg in a folder";

        Assert.Equal(ConversationRouting.DefaultSwitchAbove, ConversationRouting.SwitchBound(Long, ConversationRouting.WithoutDetector));
        Assert.True(ConversationRouting.WithoutDetector < ConversationRouting.FollowUpAbove, "no detector must not hold messages back");
        var moved = ConversationRouting.Decide(OnCode, Classified("llama3.2", PromptCategories.Knowledge, 0.95), ConversationRouting.WithoutDetector);
        Assert.False(moved.Sticky);
    }

    [Fact]
    public void The_lower_bound_never_raises_a_lower_switch_bound() =>
        Assert.Equal(0.5, ConversationRouting.SwitchBound("sketch a bash loop that renames every jpeg in a folder", 0, switchAbove: 0.5));

    [Fact]
    public void Replaying_a_history_moves_a_long_self_contained_request_at_a_lower_confidence_but_not_a_short_or_leaning_one()
    {
        const string First = "Notaufnahme oder Hausarzt: wann sollte man bei Fieber wirklich los?";
        const string Long = "sketch a bash loop that renames every jpeg in a folder";
        const string Short = "a bash loop, please";
        const string Leaning = "and what would the same loop look like in a bash script?";
        var answers = new Dictionary<string, PromptClassification>
        {
            [First] = Classified("llama3.2", PromptCategories.Knowledge, 0.95),
            [Long] = Classified("qwen2.5-coder", PromptCategories.Code, 0.75),
            [Short] = Classified("qwen2.5-coder", PromptCategories.Code, 0.75),
            [Leaning] = Classified("qwen2.5-coder", PromptCategories.Code, 0.75),
        };

        var moved = ConversationRouting.DecideLast([First, Long], m => answers[m], _ => 0.001);
        var heldByDetector = ConversationRouting.DecideLast([First, Long], m => answers[m], _ => 0.02);
        var tooShort = ConversationRouting.DecideLast([First, Short], m => answers[m], _ => 0.001);
        var leaning = ConversationRouting.DecideLast([First, Leaning], m => answers[m], _ => 0.001);

        Assert.Equal(new ConversationDecision("qwen2.5-coder", PromptCategories.Code, 0.75, Sticky: false), moved);
        Assert.True(heldByDetector.Sticky, "a detector probability of 0.02 keeps the 0.9 bound");
        Assert.True(tooShort.Sticky, "four words keep the 0.9 bound");
        Assert.True(leaning.Sticky, "a message opening with 'and' keeps the 0.9 bound");
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

        var decision = ConversationRouting.DecideLast([First, Announced], m => answers[m], _ => 0.01);
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
    public void An_empty_history_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ConversationRouting.DecideLast([], _ => throw new InvalidOperationException(), _ => 0));
    }

    private static PromptClassification Classified(string model, string category, double confidence) =>
        new(model, category, confidence, new Dictionary<string, double> { [category] = confidence });
}
