using System.Globalization;
using System.Text;

namespace Router.Classifier.Evaluation;

/// <summary>Renders an <see cref="EvaluationReport"/> as plain text for the command line.</summary>
public static class EvaluationReportFormatter
{
    public static string Format(EvaluationReport report, bool includeThresholds = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"prompts   {report.Count}");
        text.AppendLine(inv, $"accuracy  {report.Accuracy:F4}");
        text.AppendLine(inv, $"macro-F1  {report.MacroF1:F4}");
        text.AppendLine(inv, $"ECE       {report.ExpectedCalibrationError:F4}  (expected calibration error, 10 bins)");
        foreach (var tier in report.Tiers.GroupBy(t => t).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var indices = Enumerable.Range(0, report.Count).Where(i => report.Tiers[i] == tier.Key).ToList();
            text.AppendLine(inv, $"tier {tier.Key,-18} decided {indices.Count / (double)report.Count,6:P1}, accuracy {indices.Count(i => report.Correct[i]) / (double)indices.Count:F4}");
        }
        if (!double.IsNaN(report.ModelAccuracy))
        {
            text.AppendLine(inv, $"model-level accuracy {report.ModelAccuracy:F4}  (prompts sent to the model their true category routes to)");
            foreach (var m in report.PerModel)
            {
                text.AppendLine(inv, $"  model {m.Model,-20} received {m.Received,5}, purity {m.Purity:F4} (share that belongs to it), recall {m.Recall:F4} ({m.Belonging} belong to it)");
            }
        }

        text.AppendLine();
        text.AppendLine(inv, $"{"category",-20} {"support",7} {"precision",9} {"recall",7} {"F1",7}");
        foreach (var m in report.PerCategory)
        {
            text.AppendLine(inv, $"{m.Category,-20} {m.Support,7} {m.Precision,9:F4} {m.Recall,7:F4} {m.F1,7:F4}");
        }

        text.AppendLine();
        text.AppendLine("confusion matrix (rows: true category, columns: predicted)");
        var shortNames = report.Categories.Select(c => c.Length > 8 ? c[..8] : c).ToList();
        text.Append(' ', 21);
        foreach (var name in shortNames)
        {
            text.Append(inv, $"{name,9}");
        }

        text.AppendLine();
        for (var r = 0; r < report.Categories.Count; r++)
        {
            text.Append(inv, $"{report.Categories[r],-20} ");
            for (var c = 0; c < report.Categories.Count; c++)
            {
                text.Append(inv, $"{report.Confusion[r, c],9}");
            }

            text.AppendLine();
        }

        if (includeThresholds && report.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("reliability (confidence bin: prompts, mean confidence, accuracy)");
            foreach (var bin in CalibrationMetrics.Reliability(report.Confidences, report.Correct).Where(b => b.Count > 0))
            {
                text.AppendLine(inv, $"  [{bin.Lower:F1}, {bin.Upper:F1})  {bin.Count,5}  {bin.MeanConfidence:F3}  {bin.Accuracy:F3}");
            }

            text.AppendLine();
            text.AppendLine("confidence threshold: share of prompts at or above it, and their accuracy; accuracy of those below it");
            foreach (var threshold in new[] { 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8 })
            {
                var above = Enumerable.Range(0, report.Count).Where(i => report.Confidences[i] >= threshold).ToList();
                var below = Enumerable.Range(0, report.Count).Where(i => report.Confidences[i] < threshold).ToList();
                var aboveAccuracy = above.Count == 0 ? 0 : above.Count(i => report.Correct[i]) / (double)above.Count;
                var belowAccuracy = below.Count == 0 ? double.NaN : below.Count(i => report.Correct[i]) / (double)below.Count;
                text.AppendLine(inv, $"  {threshold:F2}  routed {above.Count / (double)report.Count,6:P1}  accuracy {aboveAccuracy:F4}  below: {below.Count,4} prompts, accuracy {belowAccuracy:F4}");
            }
        }

        return text.ToString();
    }
}
