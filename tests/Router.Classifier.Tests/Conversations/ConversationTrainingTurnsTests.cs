using Router.Classifier.Conversations;
using Router.Classifier.Data;

namespace Router.Classifier.Tests.Conversations;

public sealed class ConversationTrainingTurnsTests
{
    [Fact]
    public void First_turns_and_changes_of_topic_become_prompts_and_follow_ups_fragments()
    {
        var conversations = new[]
        {
            new TwoTurnConversation("write quicksort in python", PromptCategories.Code, "and in rust?", PromptCategories.Code, IsFollowUp: true),
            new TwoTurnConversation("solve 3x + 5 = 20", PromptCategories.Math, "thanks! who painted the night watch?", PromptCategories.Knowledge, IsFollowUp: false),
        };

        var turns = ConversationTrainingTurns.From(conversations, measuredOn: [], known: []);

        Assert.Equal(
            [new LabelledPrompt("write quicksort in python", PromptCategories.Code), new LabelledPrompt("solve 3x + 5 = 20", PromptCategories.Math),
             new LabelledPrompt("thanks! who painted the night watch?", PromptCategories.Knowledge)],
            turns.Prompts);
        Assert.Equal(["and in rust?"], turns.FollowUps);
        Assert.Equal(0, turns.LeftOut);
    }

    [Fact]
    public void A_turn_near_a_measuring_prompt_a_repeat_or_an_emoji_is_left_out()
    {
        var conversations = new[]
        {
            new TwoTurnConversation("How do bees make honey?", PromptCategories.Knowledge, "make it shorter", PromptCategories.Knowledge, IsFollowUp: true),
            new TwoTurnConversation("write a poem about my cat 🐈", PromptCategories.CreativeWriting, "Make it shorter", PromptCategories.CreativeWriting, IsFollowUp: true),
            new TwoTurnConversation("what is 12 times 13", PromptCategories.Math, "and in binary?", PromptCategories.Math, IsFollowUp: true),
        };

        var turns = ConversationTrainingTurns.From(conversations, measuredOn: ["how do bees make honey?"], known: ["What is 12 times 13"]);

        Assert.Empty(turns.Prompts);
        Assert.Equal(["make it shorter", "and in binary?"], turns.FollowUps);
        Assert.Equal(4, turns.LeftOut);
    }
}
