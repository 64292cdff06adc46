using Router.Classifier.Data;

namespace Router.Classifier.Tests.Data;

public sealed class NearDuplicatesTests
{
    private static readonly NearDuplicates Known = new(
    [
        "How do bees make honey?",
        "Write a haiku about autumn rain in the mountains",
        "冬の朝についての短い詩を書いてください。",
    ]);

    [Theory]
    [InlineData("  how do bees make honey?  ", "How do bees make honey?")]
    [InlineData("Write a haiku about autumn rain in the hills", "Write a haiku about autumn rain in the mountains")]
    [InlineData("冬の夜についての短い詩を書いてください。", "冬の朝についての短い詩を書いてください。")]
    public void A_repeat_or_a_close_paraphrase_is_found(string text, string expected) =>
        Assert.Equal([expected], Known.Of(text));

    [Theory]
    [InlineData("How do wasps build their nests?")]
    [InlineData("Write a limerick about a cat who hates rain")]
    [InlineData("夏の海について教えてください。")]
    [InlineData("bees honey")]
    public void A_different_prompt_is_not(string text) => Assert.Empty(Known.Of(text));

    [Fact]
    public void A_text_added_later_is_compared_with_too()
    {
        var measure = new NearDuplicates([]);
        Assert.Empty(measure.Of("What causes the northern lights?"));

        measure.Add("what causes the northern lights?");

        Assert.Single(measure.Of("What causes the northern lights?"));
    }
}
