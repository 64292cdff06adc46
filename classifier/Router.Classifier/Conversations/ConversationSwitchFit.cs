namespace Router.Classifier.Conversations;

/// <summary>
/// Fits <see cref="ConversationSwitch"/> weights: L2-regularised logistic regression by Newton's method (a few dozen
/// features and a few thousand conversations, so each step solves the whole system). The intercept is not regularised.
/// </summary>
public static class ConversationSwitchFit
{
    /// <summary>Weights that best separate changes of topic (<paramref name="isChange"/> true) from follow-ups.</summary>
    public static double[] Fit(IReadOnlyList<double[]> features, IReadOnlyList<bool> isChange, double l2 = 1, int iterations = 30)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(isChange);
        if (features.Count == 0 || features.Count != isChange.Count) throw new ArgumentException("one label per feature row, at least one row");
        var n = features[0].Length;
        var weights = new double[n];
        for (var step = 0; step < iterations; step++)
        {
            var gradient = new double[n];
            var hessian = new double[n, n];
            for (var r = 0; r < features.Count; r++)
            {
                var x = features[r];
                var p = ConversationSwitch.Probability(weights, x);
                var s = p * (1 - p);
                var residual = p - (isChange[r] ? 1 : 0);
                for (var i = 0; i < n; i++)
                {
                    if (x[i] == 0) continue;
                    gradient[i] += residual * x[i];
                    for (var j = 0; j < n; j++) hessian[i, j] += s * x[i] * x[j];
                }
            }

            for (var i = 0; i < n; i++)
            {
                gradient[i] += i == 0 ? 0 : l2 * weights[i];
                hessian[i, i] += i == 0 ? 1e-9 : l2;
            }

            var delta = Solve(hessian, gradient);
            var largest = 0.0;
            for (var i = 0; i < n; i++)
            {
                weights[i] -= delta[i];
                largest = Math.Max(largest, Math.Abs(delta[i]));
            }

            if (largest < 1e-9) break;
        }

        return weights;
    }

    // Gaussian elimination with partial pivoting; the regularised Hessian is positive definite.
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var y = (double[])b.Clone();
        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < n; r++)
            {
                if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            }

            if (pivot != c)
            {
                for (var k = 0; k < n; k++) (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
                (y[c], y[pivot]) = (y[pivot], y[c]);
            }

            for (var r = c + 1; r < n; r++)
            {
                var factor = m[r, c] / m[c, c];
                if (factor == 0) continue;
                for (var k = c; k < n; k++) m[r, k] -= factor * m[c, k];
                y[r] -= factor * y[c];
            }
        }

        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var sum = y[r];
            for (var k = r + 1; k < n; k++) sum -= m[r, k] * x[k];
            x[r] = sum / m[r, r];
        }

        return x;
    }
}
