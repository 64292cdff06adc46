using Router.Classifier.Conversations;

namespace Router.Classifier.Tests.Conversations;

public sealed class TopicChangeOpenersTests
{
    [Theory]
    [InlineData("By the way, how do submarines dive?")]
    [InlineData("btw what's the capital of Peru")]
    [InlineData("Unrelated: write me a haiku")]
    [InlineData("  \"Another question: who wrote Faust?")]
    [InlineData("Andere Frage: wer hat das Telefon erfunden?")]
    [InlineData("Übrigens, wie spät ist es in Tokio?")]
    [InlineData("Au fait, c'est quoi un quasar ?")]
    [InlineData("Por cierto, ¿cuánto es 7 por 8?")]
    [InlineData("Mudando de assunto, como se faz pão?")]
    [InlineData("另外，写一首关于海的诗。")]
    [InlineData("ところで、今日は何曜日？")]
    [InlineData("Another thing: sort this list in Go")]
    [InlineData("Autre chose : résume ce texte")]
    [InlineData("Noch was: wie heißt der Mond des Pluto?")]
    [InlineData("Noch eine Frage – wie lang ist die Elbe?")]
    [InlineData("À propos, tu connais un bon livre ?")]
    [InlineData("Aliás, qual é a capital do Chile?")]
    [InlineData("话说，熊猫能活多少年？")]
    [InlineData("换个问题：怎么煮米饭？")]
    [InlineData("別の話ですが、明日は晴れますか？")]
    [InlineData("Oh, by the way, who painted Guernica?")]
    [InlineData("Okay so, unrelated: name three moons of Jupiter")]
    [InlineData("Bon, changement de sujet : comment vont les abeilles ?")]
    [InlineData("嗯，换个话题，珠穆朗玛峰在哪个国家？")]
    public void An_announced_change_of_topic_is_recognised(string message) => Assert.True(TopicChangeOpeners.Opens(message), message);

    [Theory]
    [InlineData("also add error handling")]
    [InlineData("and in Rust?")]
    [InlineData("anyway, make it shorter")]
    [InlineData("another thing would be nice")]
    [InlineData("something else please")]
    [InlineData("bythewayfarer is a word I made up")]
    [InlineData("Write a function that returns another question")]
    [InlineData("ついでにテストも書いて")]
    [InlineData("noch was kürzer bitte")]
    [InlineData("à propos de ta réponse, pourquoi 12 ?")]
    [InlineData("aliás não era isso")]
    [InlineData("ok, tighten the wording a bit")]
    [InlineData("well, another thing would be nice")]
    [InlineData("So the real point, by the way, is speed")]
    [InlineData("Also unrelated to the bug, the tests pass")]
    [InlineData("")]
    public void A_follow_up_or_a_plain_message_is_not_taken_for_one(string message) => Assert.False(TopicChangeOpeners.Opens(message), message);
}
