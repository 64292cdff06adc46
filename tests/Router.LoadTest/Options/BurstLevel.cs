using System.Globalization;

namespace Router.LoadTest.Options;

/// <summary>One burst size of the <c>burst</c> verb: <see cref="Size"/> simultaneous requests per target, <see cref="Rounds"/> times.</summary>
internal sealed record BurstLevel(int Size, int Rounds)
{
    /// <summary>Parses <c>1:30,50:10,200</c>; a size without <c>:rounds</c> gets <paramref name="defaultRounds"/>.</summary>
    public static IReadOnlyList<BurstLevel> ParseList(string text, int defaultRounds)
    {
        var levels = new List<BurstLevel>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':');
            if (pieces.Length > 2
                || !int.TryParse(pieces[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) || size is < 1 or > 100_000
                || !TryRounds(pieces, defaultRounds, out var rounds))
            {
                throw new UsageException($"--bursts: '{part}' is not SIZE or SIZE:ROUNDS (e.g. 50:10)");
            }

            levels.Add(new BurstLevel(size, rounds));
        }

        return levels.Count > 0 ? levels : throw new UsageException("--bursts: no burst size given");
    }

    private static bool TryRounds(string[] pieces, int defaultRounds, out int rounds)
    {
        rounds = defaultRounds;
        return pieces.Length == 1
            || (int.TryParse(pieces[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out rounds) && rounds is >= 1 and <= 100_000);
    }
}
