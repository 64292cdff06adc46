using System.Globalization;
using MathNet.Numerics.Statistics;

namespace Router.Classifier.Cli;

/// <summary>Percentiles of a set of latencies, in microseconds.</summary>
internal sealed record LatencyStats(int Count, double P50, double P90, double P99, double Max, double Mean)
{
    public static LatencyStats From(IReadOnlyCollection<double> microseconds)
    {
        var sorted = microseconds.OrderBy(x => x).ToArray();
        // Nearest rank (MathNet's R1 quantile), as the load tool reports.
        double At(double q) => sorted.Length == 0 ? 0 : SortedArrayStatistics.QuantileCustom(sorted, q, QuantileDefinition.R1);
        return new LatencyStats(sorted.Length, At(0.50), At(0.90), At(0.99), sorted.LastOrDefault(), sorted.Length == 0 ? 0 : sorted.Average());
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"n={Count}  p50={P50:F1} µs  p90={P90:F1} µs  p99={P99:F1} µs  max={Max:F1} µs  mean={Mean:F1} µs");
}
