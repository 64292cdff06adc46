using System.Collections.Concurrent;
using System.Text;
using Router.Classifier.Training;

namespace Router.Classifier.Tests.Model;

[Collection(TrainedModelCollection.Name)]
public sealed class ModelRobustnessTests(TrainedModelFixture fixture)
{
    public static TheoryData<string> OddMessages => new()
    {
        string.Empty,
        "   \t\n  ",
        "🙂🙃🤖 \u200B\u200D 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "broken surrogate \uD800 here \uDFFF",
        "\u0000\u0001\u001F control characters",
        "مرحبا كيف حالك اليوم",
        "東京の人口は何人ですか",
        new string('a', 100_000),
        string.Concat(Enumerable.Repeat("Summarise this paragraph about the harbour and its ships. ", 700)),
    };

    [Theory]
    [MemberData(nameof(OddMessages))]
    public void Any_text_of_any_length_gets_a_valid_classification(string message)
    {
        var result = fixture.Model.Classify(message);

        Assert.Contains(result.Category, PromptCategories.All);
        Assert.InRange(result.Confidence, 0, 1);
        Assert.Equal(PromptCategories.All.Count, result.Scores.Count);
    }

    [Fact]
    public void Long_messages_are_cut_to_a_bounded_head_and_tail_so_their_cost_does_not_grow_with_length()
    {
        const string line = "def handler(event):\n    return event['body']\n";
        var message = new StringBuilder().Insert(0, line, 800).ToString();
        var tenTimesLonger = new StringBuilder().Insert(0, line, 8000).ToString();
        Assert.True(Encoding.UTF8.GetByteCount(message) > 32 * 1024);

        var normalized = PromptTextNormalizer.Normalize(message);
        Assert.Equal(normalized, PromptTextNormalizer.Normalize(tenTimesLonger));
        Assert.True(normalized.Length < message.Length / 10, $"normalized to {normalized.Length} of {message.Length} characters");

        var result = fixture.Model.Classify(message);
        var longer = fixture.Model.Classify(tenTimesLonger);
        Assert.Equal(PromptCategories.Code, result.Category);
        Assert.Equal(result.Category, longer.Category);
        Assert.Equal(result.Confidence, longer.Confidence, precision: 9);
    }

    [Fact]
    public async Task Concurrent_callers_get_the_same_answers_as_a_single_caller()
    {
        var messages = TestData.Holdout().Select(p => p.Message).Take(120).ToArray();
        var expected = messages.Select(m => fixture.Model.Classify(m)).ToArray();
        var mismatches = new ConcurrentBag<string>();

        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var round = 0; round < 5; round++)
            {
                for (var i = 0; i < messages.Length; i++)
                {
                    var index = (i + (worker * 17)) % messages.Length;
                    var actual = fixture.Model.Classify(messages[index]);
                    if (actual.Category != expected[index].Category || Math.Abs(actual.Confidence - expected[index].Confidence) > 1e-9)
                    {
                        mismatches.Add($"{messages[index]}: {actual.Category} vs {expected[index].Category}");
                    }
                }
            }
        }));
        await Task.WhenAll(workers);

        Assert.Empty(mismatches);
    }
}
