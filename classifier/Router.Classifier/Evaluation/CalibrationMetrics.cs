namespace Router.Classifier.Evaluation;

/// <summary>One confidence bin of a reliability table: how sure the model said it was, and how often it was right.</summary>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double MeanConfidence, double Accuracy);

/// <summary>Expected calibration error and the reliability table, over equal-width confidence bins.</summary>
public static class CalibrationMetrics
{
    public const int DefaultBins = 10;

    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<double> confidences, IReadOnlyList<bool> correct, int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(confidences);
        ArgumentNullException.ThrowIfNull(correct);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var count = new int[bins];
        var confidenceSum = new double[bins];
        var hits = new int[bins];
        for (var i = 0; i < confidences.Count; i++)
        {
            var bin = Math.Clamp((int)(confidences[i] * bins), 0, bins - 1);
            count[bin]++;
            confidenceSum[bin] += confidences[i];
            hits[bin] += correct[i] ? 1 : 0;
        }

        return [.. Enumerable.Range(0, bins).Select(b => new ReliabilityBin(
            (double)b / bins,
            (double)(b + 1) / bins,
            count[b],
            count[b] == 0 ? 0 : confidenceSum[b] / count[b],
            count[b] == 0 ? 0 : (double)hits[b] / count[b]))];
    }

    /// <summary>The count-weighted mean gap between confidence and accuracy across the bins.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<double> confidences, IReadOnlyList<bool> correct, int bins = DefaultBins)
    {
        var table = Reliability(confidences, correct, bins);
        var total = table.Sum(b => b.Count);
        return total == 0 ? 0 : table.Sum(b => b.Count * Math.Abs(b.MeanConfidence - b.Accuracy)) / total;
    }
}
