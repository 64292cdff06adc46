using System.Diagnostics;
using Router.Classifier.Embedding;

namespace Router.Classifier.Cli;

/// <summary>
/// Writes the static embedding table: the encoder's embedding of every word piece of its vocabulary on its
/// own (<c>[CLS] piece [SEP]</c>, pooled on [CLS] as the encoder is). Deterministic; run once per encoder.
/// </summary>
internal static class DistillCommand
{
    public static int Run(CommandLine commandLine)
    {
        var output = commandLine.Get("out") ?? "classifier/Router.Classifier/Model/static-embeddings.bin.gz";
        var stopwatch = Stopwatch.StartNew();
        var vocabulary = StaticPromptEmbedder.EncoderVocabulary();
        using var encoder = new PromptEmbedder(intraOpThreads: Environment.ProcessorCount);
        var vectors = new float[vocabulary.Count][];
        const int Batch = 512;
        for (var start = 0; start < vocabulary.Count; start += Batch)
        {
            var count = Math.Min(Batch, vocabulary.Count - start);
            var sequences = new long[count][];
            for (var k = 0; k < count; k++)
            {
                sequences[k] = [encoder.StartMarker, start + k, encoder.EndMarker];
            }

            encoder.EmbedIds(sequences).CopyTo(vectors, start);
        }

        // Every piece's vector shares a large common component (the encoder's embeddings are anisotropic); an average
        // of them would be mostly that component. Removing the mean leaves what tells pieces apart.
        var mean = new float[vectors[0].Length];
        foreach (var vector in vectors)
        {
            for (var d = 0; d < mean.Length; d++)
            {
                mean[d] += vector[d] / vectors.Length;
            }
        }

        foreach (var vector in vectors)
        {
            for (var d = 0; d < mean.Length; d++)
            {
                vector[d] -= mean[d];
            }
        }

        var table = StaticEmbeddingTable.FromVectors(vectors);
        using (var file = File.Create(output))
        {
            table.Write(file);
        }

        Console.WriteLine($"distilled {table.Rows} word pieces × {table.Dimensions} in {stopwatch.ElapsedMilliseconds} ms; wrote {output} ({new FileInfo(output).Length / 1024} KiB)");
        return 0;
    }
}
