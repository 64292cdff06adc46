using System.Text;
using MathNet.Numerics.Statistics;

namespace Router.LoadTest.Bursts;

/// <summary>
/// The router's CPU against the relay's round by round: each round both served one burst of the same
/// prompts in the same window, so a ratio per round cancels what the machine's other load does to
/// both, and the median over many rounds shrugs off the rounds a collection or a compilation lands in.
/// </summary>
/// <param name="Ratios">Router / relay CPU of each usable round, sorted.</param>
/// <param name="OfTotals">Summed router CPU over summed relay CPU: what the level's table shows, from the same rounds.</param>
internal sealed record RoundRatios(double[] Ratios, double RouterMsPerRequest, double RelayMsPerRequest, double OfTotals)
{
    public double Median => SortedArrayStatistics.Median(Ratios);

    public double P25 => SortedArrayStatistics.Quantile(Ratios, 0.25);

    public double P75 => SortedArrayStatistics.Quantile(Ratios, 0.75);

    /// <summary>
    /// A 95 % confidence interval of the median that assumes nothing of the ratios' distribution: the
    /// order statistics whose ranks the binomial (1/2) puts 1.96 standard deviations either side of n/2.
    /// </summary>
    public (double Low, double High) MedianInterval
    {
        get
        {
            var n = Ratios.Length;
            var half = 0.98 * Math.Sqrt(n);
            var low = Math.Clamp((int)Math.Floor((n / 2.0) - half), 1, n);
            var high = Math.Clamp((int)Math.Ceiling((n / 2.0) + 1 + half), 1, n);
            return (Ratios[low - 1], Ratios[high - 1]);
        }
    }

    /// <summary>
    /// The ratios of one level: each server's CPU in a round less its idle share over the round's wall
    /// time. Null without both servers' per-round CPU or with fewer than 3 usable rounds.
    /// </summary>
    public static RoundRatios? Of(LevelResult level, double? routerIdleShare, double? relayIdleShare)
    {
        var ratios = new List<double>();
        double routerSum = 0, relaySum = 0;
        foreach (var round in level.Rounds)
        {
            if (round.Router.CpuSeconds is not { } router || round.Relay.CpuSeconds is not { } relay)
            {
                continue;
            }

            var r = router - ((routerIdleShare ?? 0) * round.Router.WallSeconds);
            var l = relay - ((relayIdleShare ?? 0) * round.Relay.WallSeconds);
            if (r <= 0 || l <= 0)
            {
                continue;
            }

            ratios.Add(r / l);
            routerSum += r;
            relaySum += l;
        }

        if (ratios.Count < 3)
        {
            return null;
        }

        var sorted = ratios.ToArray();
        Array.Sort(sorted);
        var requests = (double)level.Level.Size * ratios.Count;
        return new RoundRatios(sorted, routerSum * 1000 / requests, relaySum * 1000 / requests, routerSum / relaySum);
    }

    /// <summary>The section of the burst report: one line per level, then each level's ratios as measured.</summary>
    public static void Append(StringBuilder sb, IReadOnlyList<LevelResult> levels, double? routerIdleShare, double? relayIdleShare)
    {
        var measured = levels.Select(l => (l.Level, Ratios: Of(l, routerIdleShare, relayIdleShare))).Where(x => x.Ratios is not null).ToArray();
        if (measured.Length == 0)
        {
            return;
        }

        sb.AppendLine();
        sb.AppendLine("== CPU per round, router / relay (each round: one burst on each, same prompts, same window; thread CPU from schedstat, less the lower idle share)");
        sb.AppendLine($"{"burst",6} {"rounds",7} {"median",8} {"IQR (p25-p75)",16} {"95 % CI of median",19} {"of totals",10} {"router ms/req",14} {"relay ms/req",13}");
        foreach (var (level, r) in measured)
        {
            var (low, high) = r!.MedianInterval;
            sb.AppendLine($"{level.Size,6} {r.Ratios.Length,7} {r.Median,7:0.000}x {$"{r.P25:0.000}-{r.P75:0.000}",16} {$"{low:0.000}-{high:0.000}",19} {r.OfTotals,9:0.000}x {r.RouterMsPerRequest,14:0.000} {r.RelayMsPerRequest,13:0.000}");
        }

        foreach (var (level, r) in measured)
        {
            sb.AppendLine($"ratios at {level.Size}, sorted: {string.Join(" ", r!.Ratios.Select(x => x.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
        }
    }
}
