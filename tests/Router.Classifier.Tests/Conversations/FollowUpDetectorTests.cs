using Router.Classifier.Conversations;
using Router.Classifier.Tests.Model;

namespace Router.Classifier.Tests.Conversations;

/// <summary>
/// The follow-up detector's two tiers: n-grams alone, and n-grams with the static embedding once the encoder has loaded.
/// The messages are written for this test and are in no data file.
/// </summary>
[Collection(TrainedModelCollection.Name)]
public sealed class FollowUpDetectorTests(TrainedModelFixture fixture)
{
    private static readonly string[] QuestionsAboutAnAnswer =
    [
        "why did you sort the list before the loop?",
        "where does the 3 in the second line come from?",
        "could you drop the intro paragraph",
        "warum hast du hier eine Schleife benutzt?",
        "第三行的系数是从哪儿来的？",
        "なんでそこで掛け算するの？",
    ];

    private static readonly string[] ShortSelfContainedQuestions =
    [
        "Which mountain range separates Spain from France?",
        "Who first saw the moons of Jupiter through a telescope?",
        "Wie hoch ist die Zugspitze?",
        "哪个国家最早使用纸币？",
        "日本で一番長いトンネルはどこにありますか？",
        "How many legs does a spider have?",
    ];

    [Fact]
    public void The_shipped_detector_reads_the_embedding_once_the_encoder_has_loaded()
    {
        var detector = fixture.Model.FollowUps;

        Assert.NotNull(detector);
        Assert.True(detector.ReadsEmbedding, "the shipped model has no follow-up tier reading the embedding, or the encoder did not load");
    }

    [Fact]
    public void With_the_embedding_every_question_about_an_answer_ranks_above_every_short_self_contained_question()
    {
        var detector = fixture.Model.FollowUps!;

        AssertRanked(detector);
    }

    [Fact]
    public async Task Without_the_encoder_the_n_gram_tier_answers_and_ranks_them_the_same_way()
    {
        var options = new ClassifierModelOptions();
        options.Encoder.Enabled = false;
        using var model = PromptCategoryModelFactory.Create(options);
        await model.EncoderReady;
        var detector = model.FollowUps!;

        Assert.False(detector.ReadsEmbedding, "the detector read an embedding with the encoder disabled");
        AssertRanked(detector);
        Assert.NotEqual(detector.Probability(QuestionsAboutAnAnswer[2]), fixture.Model.FollowUps!.Probability(QuestionsAboutAnAnswer[2]));
    }

    private static void AssertRanked(FollowUpDetector detector)
    {
        var lowestFollowUp = QuestionsAboutAnAnswer.Select(m => (Message: m, P: detector.Probability(m))).MinBy(x => x.P);
        var highestStandalone = ShortSelfContainedQuestions.Select(m => (Message: m, P: detector.Probability(m))).MaxBy(x => x.P);

        Assert.True(lowestFollowUp.P > highestStandalone.P,
            $"\"{lowestFollowUp.Message}\" ({lowestFollowUp.P:F3}) ranks below \"{highestStandalone.Message}\" ({highestStandalone.P:F3})");
    }
}
