using Router.Classifier.Evaluation;
using Router.Classifier.Training;

namespace Router.Classifier.Tests.Model;

public sealed class CalibrationTests
{
    [Fact]
    public void Tempering_keeps_the_winner_sums_to_one_and_a_temperature_above_one_softens()
    {
        float[] raw = [0.7f, 0.2f, 0.1f];
        var soft = new double[3];
        var sharp = new double[3];

        TemperatureScaling.Apply(raw, 2.0, soft);
        TemperatureScaling.Apply(raw, 0.5, sharp);

        Assert.Equal(1.0, soft.Sum(), precision: 9);
        Assert.Equal(1.0, sharp.Sum(), precision: 9);
        Assert.Equal(0, Array.IndexOf(soft, soft.Max()));
        Assert.InRange(soft[0], 0.34, 0.69);
        Assert.InRange(sharp[0], 0.71, 1.0);
    }

    [Fact]
    public void Fitting_an_over_confident_model_gives_a_temperature_above_one()
    {
        // Every prediction claims 0.99 but only 60 % are right: the fitted temperature must soften them.
        var probabilities = new List<float[]>();
        var labels = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            probabilities.Add([0.99f, 0.005f, 0.005f]);
            labels.Add(i % 5 < 3 ? 0 : 1 + (i % 2));
        }

        var temperature = TemperatureScaling.Fit(probabilities, labels);
        var tempered = new double[3];
        TemperatureScaling.Apply(probabilities[0], temperature, tempered);

        Assert.True(temperature > 1, $"temperature {temperature}");
        Assert.InRange(tempered[0], 0.55, 0.65);
    }

    [Fact]
    public void Calibration_error_is_the_weighted_gap_between_confidence_and_accuracy()
    {
        // Bin [0.9, 1.0): four prompts at 0.95, three right (gap 0.2). Bin [0.5, 0.6): two at 0.55, one right (gap 0.05).
        double[] confidences = [0.95, 0.95, 0.95, 0.95, 0.55, 0.55];
        bool[] correct = [true, true, true, false, true, false];

        var table = CalibrationMetrics.Reliability(confidences, correct);
        var ece = CalibrationMetrics.ExpectedCalibrationError(confidences, correct);

        Assert.Equal(10, table.Count);
        Assert.Equal(4, table[9].Count);
        Assert.Equal(0.75, table[9].Accuracy, precision: 9);
        Assert.Equal(((4 * 0.2) + (2 * 0.05)) / 6, ece, precision: 9);
    }
}
