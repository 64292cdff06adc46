using MathNet.Numerics.Statistics;

namespace Router.LoadTest.Reporting;

/// <summary>Nearest-rank percentiles (0–100) over a sorted array holding every sample.</summary>
internal static class Percentiles
{
    /// <summary>MathNet's R1 quantile, the inverse of the empirical distribution: the smallest sample with at least <paramref name="p"/> % at or below it.</summary>
    public static double Of(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : SortedArrayStatistics.QuantileCustom(sorted, Math.Clamp(p / 100.0, 0, 1), QuantileDefinition.R1);

    public static double? OrNull(double[] sorted, double p) => sorted.Length == 0 ? null : Math.Round(Of(sorted, p), 3);
}

/// <summary>Summary statistics of one measured quantity.</summary>
internal sealed record Distribution(long Count, double Min, double Mean, double P50, double P90, double P99, double P999, double Max)
{
    public static Distribution? From(IEnumerable<double> samples)
    {
        var sorted = samples.Where(double.IsFinite).ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        Array.Sort(sorted);
        return new Distribution(
            sorted.Length,
            R(sorted[0]),
            R(sorted.Average()),
            R(Percentiles.Of(sorted, 50)),
            R(Percentiles.Of(sorted, 90)),
            R(Percentiles.Of(sorted, 99)),
            R(Percentiles.Of(sorted, 99.9)),
            R(sorted[^1]));
    }

    /// <summary>The percentile curve for the distribution chart: dense near the tail, where latency lives.</summary>
    public static IReadOnlyList<PercentilePoint> Curve(IEnumerable<double> samples)
    {
        var sorted = samples.Where(double.IsFinite).ToArray();
        if (sorted.Length == 0)
        {
            return [];
        }

        Array.Sort(sorted);
        double[] ps = [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99, 99.5, 99.9, 99.95, 99.99, 100];
        return ps.Select(p => new PercentilePoint(p, R(p == 0 ? sorted[0] : Percentiles.Of(sorted, p)))).ToArray();
    }

    private static double R(double v) => Math.Round(v, 3);
}

/// <summary>A point of a percentile curve: percentile (0–100) and value.</summary>
internal sealed record PercentilePoint(double Percentile, double Value);
