using Router.Classifier.Embedding;
using Router.Classifier.Training;

namespace Router.Classifier.Tests.Embedding;

public sealed class PromptEmbedderTests : IDisposable
{
    private readonly PromptEmbedder _embedder = new();

    public void Dispose() => _embedder.Dispose();

    [Fact]
    public void A_long_prompt_is_cut_to_the_token_window_keeping_both_ends()
    {
        var text = PromptTextNormalizer.Normalize("please summarise " + string.Concat(Enumerable.Repeat("the harbour committee met again today ", 800)) + " thanks zebra");

        var ids = _embedder.TokenIds(text);
        var head = _embedder.TokenIds("please summarise");
        var tail = _embedder.TokenIds("thanks zebra");

        Assert.Equal(PromptEmbedder.MaxTokens + 2, ids.Length);
        Assert.Equal(head[..^1], ids[..(head.Length - 1)]);
        Assert.Equal(tail[1..], ids[^(tail.Length - 1)..]);
    }

    [Fact]
    public void A_short_prompt_keeps_every_token()
    {
        var ids = _embedder.TokenIds("what is the capital of peru ?");

        Assert.InRange(ids.Length, 8, 12);
        Assert.NotEqual(ids[0], ids[^1]);
    }

    [Fact]
    public void Embeddings_are_unit_length_the_same_batched_or_alone_and_closer_for_related_prompts()
    {
        string[] texts = ["write a poem about the sea", "compose some verses about the ocean waves", "fix the null pointer exception in my java method"];

        var batch = _embedder.EmbedMany(texts);
        var alone = texts.Select(_embedder.Embed).ToArray();

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(PromptEmbedder.Dimensions, batch[i].Length);
            Assert.Equal(1.0, Math.Sqrt(batch[i].Sum(x => (double)x * x)), precision: 4);
            Assert.All(batch[i].Zip(alone[i]), p => Assert.Equal(p.First, p.Second, 0.001f));
        }

        Assert.True(Cosine(batch[0], batch[1]) > Cosine(batch[0], batch[2]));
    }

    private static double Cosine(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);
}
