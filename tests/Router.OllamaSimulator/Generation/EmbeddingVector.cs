using System.Security.Cryptography;
using System.Text;

namespace Router.OllamaSimulator;

/// <summary>
/// A deterministic unit vector per model and input, so a test can compute what a client should receive:
/// float <c>i</c> comes from bytes of SHA-256(<c>model + "\n" + input + "\n" + block</c>), then the vector is
/// L2-normalised as Ollama's <c>/api/embed</c> returns it.
/// </summary>
public static class EmbeddingVector
{
    /// <summary>Floats per vector unless the request asks for other <c>dimensions</c>.</summary>
    public const int DefaultDimensions = 8;

    public static float[] For(string model, string input, int dimensions = DefaultDimensions)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        var vector = new float[dimensions];
        for (var block = 0; block * 8 < dimensions; block++)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{model}\n{input}\n{block}"));
            for (var i = 0; i < 8 && block * 8 + i < dimensions; i++)
            {
                var value = BitConverter.ToUInt32(hash, i * 4);
                vector[block * 8 + i] = (float)(value / (double)uint.MaxValue * 2 - 1);
            }
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++) vector[i] /= norm;
        }

        return vector;
    }
}
