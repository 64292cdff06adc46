namespace Router.Classifier.Training;

/// <summary>
/// Temperature scaling: probabilities p become p^(1/T) renormalised, the same as dividing the logits by T.
/// A maximum-entropy model trained to near-zero training loss is over-confident on prompts unlike its data;
/// one parameter fitted on out-of-fold predictions corrects that without changing which category wins.
/// </summary>
public static class TemperatureScaling
{
    /// <summary>The temperature minimising the negative log-likelihood of <paramref name="labels"/> under <paramref name="probabilities"/>.</summary>
    public static double Fit(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        if (probabilities.Count == 0 || probabilities.Count != labels.Count)
        {
            throw new ArgumentException("Need one label per prediction, and at least one prediction.", nameof(labels));
        }

        // The loss is unimodal in log T, so a golden-section search over [1/20, 20] is enough.
        double lo = Math.Log(0.05), hi = Math.Log(20);
        var ratio = (Math.Sqrt(5) - 1) / 2;
        double a = hi - (ratio * (hi - lo)), b = lo + (ratio * (hi - lo));
        double fa = Loss(probabilities, labels, Math.Exp(a)), fb = Loss(probabilities, labels, Math.Exp(b));
        for (var i = 0; i < 60; i++)
        {
            if (fa < fb)
            {
                hi = b;
                b = a;
                fb = fa;
                a = hi - (ratio * (hi - lo));
                fa = Loss(probabilities, labels, Math.Exp(a));
            }
            else
            {
                lo = a;
                a = b;
                fa = fb;
                b = lo + (ratio * (hi - lo));
                fb = Loss(probabilities, labels, Math.Exp(b));
            }
        }

        return Math.Round(Math.Exp((lo + hi) / 2), 4);
    }

    /// <summary>Writes the tempered probabilities of <paramref name="probabilities"/> into <paramref name="result"/>.</summary>
    public static void Apply(ReadOnlySpan<float> probabilities, double temperature, Span<double> result)
    {
        if (result.Length < probabilities.Length)
        {
            throw new ArgumentException("Result is shorter than the input.", nameof(result));
        }

        var inverse = 1 / temperature;
        var max = double.NegativeInfinity;
        for (var i = 0; i < probabilities.Length; i++)
        {
            result[i] = Math.Log(Math.Max(probabilities[i], 1e-12)) * inverse;
            max = Math.Max(max, result[i]);
        }

        var sum = 0.0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            result[i] = Math.Exp(result[i] - max);
            sum += result[i];
        }

        for (var i = 0; i < probabilities.Length; i++)
        {
            result[i] /= sum;
        }
    }

    private static double Loss(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels, double temperature)
    {
        var buffer = new double[probabilities[0].Length];
        var loss = 0.0;
        for (var n = 0; n < probabilities.Count; n++)
        {
            Apply(probabilities[n], temperature, buffer);
            loss -= Math.Log(Math.Max(buffer[labels[n]], 1e-12));
        }

        return loss / probabilities.Count;
    }
}
