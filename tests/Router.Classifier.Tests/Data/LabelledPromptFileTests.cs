using Router.Classifier.Data;

namespace Router.Classifier.Tests.Data;

public sealed class LabelledPromptFileTests
{
    [Theory]
    [InlineData("plain text")]
    [InlineData("line one\nline two\twith tab")]
    [InlineData(@"a regex \d+ and a path C:\temp\new")]
    [InlineData("crlf\r\nend \\n literal")]
    public void Escape_then_unescape_round_trips(string message)
    {
        var escaped = LabelledPromptFile.Escape(message);

        Assert.DoesNotContain('\n', escaped);
        Assert.DoesNotContain('\t', escaped);
        Assert.Equal(message, LabelledPromptFile.Unescape(escaped));
    }

    [Fact]
    public void Write_then_read_keeps_messages_and_categories()
    {
        var path = Path.GetTempFileName();
        try
        {
            LabelledPrompt[] prompts =
            [
                new("def f(x):\n\treturn x", PromptCategories.Code),
                new("¿Qué tal? 🙂", PromptCategories.Conversation),
            ];
            LabelledPromptFile.Write(path, prompts);

            Assert.Equal(prompts, LabelledPromptFile.Read(path));
            Assert.Equal(2, File.ReadAllLines(path).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("no tab here", "expected 'message<TAB>category'")]
    [InlineData("hello\tgreeting", "unknown category 'greeting'")]
    public void Malformed_lines_are_reported_with_their_line_number(string line, string expected)
    {
        var error = Assert.Throws<FormatException>(() => LabelledPromptFile.Read(new StringReader("ok\tmath\n" + line), "file.tsv"));

        Assert.Contains("file.tsv:2", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_is_deterministic_deduplicates_and_keeps_duplicates_on_one_side()
    {
        var prompts = Enumerable.Range(0, 500).Select(i => new LabelledPrompt($"message {i}", PromptCategories.Knowledge)).ToList();
        prompts.Add(new LabelledPrompt("MESSAGE 7 ", PromptCategories.Knowledge));

        var first = DatasetSplitter.Split(prompts, 20);
        var second = DatasetSplitter.Split(Enumerable.Reverse(prompts), 20);

        Assert.Equal(500, first.Train.Count + first.Holdout.Count);
        Assert.InRange(first.Holdout.Count, 60, 140);
        Assert.Equal(first.Holdout.Select(p => DatasetSplitter.DuplicateKey(p.Message)).Order(),
            second.Holdout.Select(p => DatasetSplitter.DuplicateKey(p.Message)).Order());
    }
}
