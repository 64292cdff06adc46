using System.Globalization;

namespace Router.LoadTest.Options;

/// <summary>
/// One answer length of the <c>tokens</c> verb: <see cref="Tokens"/> tokens <see cref="GapMs"/> apart, asked of the
/// simulator per request with a <c>[[sim:tokens=N,tps=R,thinking=0]]</c> directive in the prompt. The digits
/// send some prompts to the code or math model (<c>scripts/loadtest-tokens.sh</c> routes those to the
/// default model too); <c>thinking=0</c> keeps a thinking model's answer at the same number of tokens.
/// </summary>
internal sealed record AnswerShape(int Tokens, double GapMs)
{
    /// <summary>The simulator's directive for this shape (<c>tps</c> = 1000 / gap).</summary>
    public string Directive => string.Create(CultureInfo.InvariantCulture, $"[[sim:tokens={Tokens},tps={1000 / GapMs:0.###},thinking=0]]");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Tokens} tokens {GapMs:0.#} ms apart");

    /// <summary>Parses <c>20@20ms,200@2ms</c>: exactly two shapes of different lengths (slope and intercept need two points).</summary>
    public static IReadOnlyList<AnswerShape> ParseList(string text)
    {
        var shapes = new List<AnswerShape>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split('@');
            if (pieces.Length != 2
                || !int.TryParse(pieces[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var tokens) || tokens is < 1 or > 100_000
                || !Durations.TryParse(pieces[1], out var gap) || gap <= TimeSpan.Zero || gap > TimeSpan.FromSeconds(10))
            {
                throw new UsageException($"--answers: '{part}' is not TOKENS@GAP (e.g. 200@2ms)");
            }

            shapes.Add(new AnswerShape(tokens, gap.TotalMilliseconds));
        }

        return shapes.Count == 2 && shapes[0].Tokens != shapes[1].Tokens
            ? shapes
            : throw new UsageException("--answers: give two shapes of different lengths, e.g. 20@20ms,200@2ms");
    }
}
