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
    [InlineData("Ganz was anderes: kennst du ein gutes Rezept für Linsensuppe?")]
    [InlineData("Tout autre chose : pourquoi les chats ronronnent-ils ?")]
    [InlineData("别的问题：冬天怎么给阳台上的花保暖？")]
    [InlineData("話変わるけど、週末は何してた？")]
    [InlineData("Quick question: is a peach a drupe?")]
    [InlineData("Kurze Frage: wie alt ist Rom?")]
    [InlineData("Pregunta rápida: ¿cuántos huesos tiene la mano?")]
    [InlineData("对了，熊猫一天吃多少竹子？")]
    [InlineData("気分転換に、猫の詩を書いて")]
    [InlineData("Oh btw, what's the boiling point of ethanol?")]
    [InlineData("Und jetzt was ganz anderes: schreib mir einen Vierzeiler über Regen")]
    [InlineData("Apropos Kaffee: woher kommt die Bohne ursprünglich?")]
    [InlineData("Thanks! By the way, how tall is a giraffe?")]
    [InlineData("Great. Unrelated: what is a fjord?")]
    [InlineData("thx! now something else: a regex for dates")]
    [InlineData("Merci ! Au fait, qui a peint la Joconde ?")]
    [InlineData("ありがとう！ところで、桜はいつ咲く？")]
    [InlineData("谢谢！另外，帮我写一首关于秋天的诗。")]
    [InlineData("ありがとうございます！ところで、明日は雨ですか？")]
    [InlineData("Got it. Different question: how do tides work?")]
    [InlineData("BY THE WAY, how do submarines dive?")] // each list is looked up by the message's first letter, in any case
    [InlineData("BTW what's the capital of Peru")]
    [InlineData("ÜBRIGENS, wie spät ist es in Tokio?")]
    [InlineData("À PROPOS, tu connais un bon livre ?")]
    [InlineData("OK BTW, name a river in Chile")]
    [InlineData("THANKS! Unrelated: what is a fjord?")]
    [InlineData("gOT iT. different question: how do tides work?")]
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
    [InlineData("is this unrelated to the timeout?")]
    [InlineData("oh btw the table has nine rows")]
    [InlineData("对了吗？")]
    [InlineData("quick question why the loop starts at one")]
    [InlineData("Thanks! and in Rust?")]
    [InlineData("Great. That is unrelated to the crash though")]
    [InlineData("ありがとう！もっと短くして")]
    [InlineData("No. By the way, I meant the second function")]
    [InlineData("Wrong! btw the loop is still off by one")]
    [InlineData("")]
    public void A_follow_up_or_a_plain_message_is_not_taken_for_one(string message) => Assert.False(TopicChangeOpeners.Opens(message), message);

    [Theory]
    [InlineData("Übrigens: wie viele Beine hat eine Spinne?", "wie viele Beine hat eine Spinne?")]
    [InlineData("Oh btw, what's the boiling point of ethanol?", "what's the boiling point of ethanol?")]
    [InlineData("unrelated, but who built the first lighthouse at Alexandria?", "who built the first lighthouse at Alexandria?")]
    [InlineData("Apropos Kaffee: woher kommt die Bohne ursprünglich?", "woher kommt die Bohne ursprünglich?")]
    [InlineData("对了，熊猫一天吃多少竹子？", "熊猫一天吃多少竹子？")]
    [InlineData("Merci ! Au fait, qui a peint la Joconde ?", "qui a peint la Joconde ?")]
    [InlineData("ありがとう！ところで、桜はいつ咲く？", "桜はいつ咲く？")]
    [InlineData("Und jetzt was ganz anderes: schreib mir einen Vierzeiler über Regen", "schreib mir einen Vierzeiler über Regen")]
    [InlineData("  Okay so, unrelated — name the Feuerwehr's emergency number", "name the Feuerwehr's emergency number")]
    public void Stripping_leaves_what_follows_the_announcement(string message, string content)
    {
        Assert.True(TopicChangeOpeners.TryStrip(message, out var stripped), message);
        Assert.Equal(content, stripped);
    }

    [Theory]
    [InlineData("ところで")]
    [InlineData("By the way!")]
    public void An_announcement_with_nothing_after_it_keeps_the_whole_message(string message)
    {
        Assert.True(TopicChangeOpeners.TryStrip(message, out var content), message);
        Assert.Equal(message, content);
    }

    [Fact]
    public void A_message_without_an_announcement_is_its_own_content()
    {
        Assert.False(TopicChangeOpeners.TryStrip("write a haiku about a rusty tram", out var content));
        Assert.Equal("write a haiku about a rusty tram", content);
    }
}
