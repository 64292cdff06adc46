using Router.Classifier.Conversations;

namespace Router.Classifier.Tests.Conversations;

public sealed class SelfContainedMessagesTests
{
    [Theory]
    [InlineData("sketch a bash loop that renames every jpeg in a folder", 11)]
    [InlineData("  wie  lang braucht Licht vom Mars ? ", 6)]
    [InlineData("用Go写一个读文件的函数", 6)] // "Go" is a word, ten Chinese characters make five
    [InlineData("北海道の冬はどれくらい寒いですか？", 8)]
    [InlineData("— 42 —", 1)]
    [InlineData("", 0)]
    public void Counts_words_and_two_chinese_or_japanese_characters_as_one(string message, double words) =>
        Assert.Equal(words, SelfContainedMessages.Words(message));

    [Theory]
    [InlineData("and what would the same loop look like in PowerShell?")]
    [InlineData("No, I meant the version that keeps the original file names")]
    [InlineData("so which of the three would you pick for a small team")]
    [InlineData("\"but why does the second loop never terminate on empty input")]
    [InlineData("Und wie sieht das Ganze mit einer Warteschlange aus?")]
    [InlineData("et si on remplace la boucle par une récursion, ça change quoi ?")]
    [InlineData("y si la lista viene vacía desde el servidor qué pasa")]
    [InlineData("e se o arquivo tiver mais de dois gigabytes, funciona igual?")]
    [InlineData("那如果输入的是负数，结果会变成什么样呢？")]
    [InlineData("じゃあ、配列が空のときはどう書けばいいですか？")]
    public void A_message_that_opens_by_leaning_on_the_previous_turn_does_not_look_self_contained(string message)
    {
        Assert.True(SelfContainedMessages.LeansOnPrevious(message), message);
        Assert.False(SelfContainedMessages.Looks(message), message);
    }

    [Theory]
    [InlineData("sketch a bash loop that renames every jpeg in a folder")]
    [InlineData("Notaufnahme oder Hausarzt: wann sollte man bei Fieber wirklich los?")]
    [InlineData("Andorra hat keinen Flughafen, wie reisen die Leute dort eigentlich an?")]
    [InlineData("北海道の冬はどれくらい寒いですか？")]
    [InlineData("Sonnets by Petrarch versus Shakespeare: how do the rhyme schemes differ?")]
    public void A_long_request_that_opens_on_its_own_looks_self_contained(string message) =>
        Assert.True(SelfContainedMessages.Looks(message), message);

    [Theory]
    [InlineData("swap the two verses around")]
    [InlineData("why divide by seven here?")]
    [InlineData("北海道は？")]
    public void A_short_message_does_not_look_self_contained(string message) => Assert.False(SelfContainedMessages.Looks(message), message);

    [Fact]
    public void Only_the_first_word_counts_as_leaning()
    {
        Assert.False(SelfContainedMessages.LeansOnPrevious("Andorra hat keinen Flughafen"));
        Assert.False(SelfContainedMessages.LeansOnPrevious("Sonnets and ballads: how do they differ"));
        Assert.False(SelfContainedMessages.LeansOnPrevious("Nobody told me how tides work, explain please"));
    }
}
