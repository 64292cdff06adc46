using System.Text;
using Router.LoadTest.Options;

namespace Router.LoadTest.TokenCost;

/// <summary>
/// The <c>tokens</c> table: per target, CPU per whole answer at both lengths, and from them CPU per
/// token (slope) and fixed CPU per request (intercept); over all rounds, then the range of the
/// per-round estimates, which shows how noisy the machine was.
/// </summary>
internal static class TokenCostReport
{
    public static string Format(
        IReadOnlyList<AnswerShape> shapes,
        BurstLevel batch,
        IReadOnlyDictionary<string, List<BatchCpu>[]> cells,
        IReadOnlyDictionary<string, Bursts.CpuSpan> idle,
        LoadTestOptions o)
    {
        var (a, b) = (shapes[0], shapes[1]);
        var sb = new StringBuilder();
        sb.AppendLine($"== tokens: CPU per whole answer (utime + stime of /proc/<pid>/stat, {o.ClockTicks} ticks/s), batches of {batch.Size} simultaneous requests");
        sb.AppendLine("ms/answer = (CPU over the target's batches - idle share x their wall time) / answers; per token = slope between the two lengths, fixed = intercept");
        sb.AppendLine($"{"target",10} {"idle %",7} {$"ms/answer {a.Tokens}",15} {$"ms/answer {b.Tokens}",16} {"us/token",9} {"fixed ms",9} {"us/token per round (min / median / max)",42} {"fixed ms per round",24} {$"chunks/answer {a.Tokens} / {b.Tokens}",24} errors");
        foreach (var (target, byShape) in cells)
        {
            var idleShare = idle.TryGetValue(target, out var i) ? i.PercentOfCore / 100 : null;
            var msA = PerAnswer(byShape[0], idleShare);
            var msB = PerAnswer(byShape[1], idleShare);
            var (slope, fixedMs) = Fit(a, b, msA, msB);
            var rounds = Enumerable.Range(0, Math.Min(byShape[0].Count, byShape[1].Count))
                .Select(r => Fit(a, b, PerAnswer([byShape[0][r]], idleShare), PerAnswer([byShape[1][r]], idleShare)))
                .Where(f => f.UsPerToken is not null)
                .ToArray();
            var slopes = rounds.Select(f => f.UsPerToken!.Value).Order().ToArray();
            var fixes = rounds.Select(f => f.FixedMs!.Value).Order().ToArray();
            var errors = byShape.Sum(l => l.Sum(x => x.Errors));
            sb.AppendLine($"{target,10} {Num(i.PercentOfCore, "0.00"),7} {Num(msA, "0.00"),15} {Num(msB, "0.00"),16} {Num(slope, "0"),9} {Num(fixedMs, "0.00"),9} {Range(slopes, "0"),42} {Range(fixes, "0.00"),24} {$"{Chunks(byShape[0])} / {Chunks(byShape[1])}",24} {errors}");
        }

        foreach (var (target, byShape) in cells)
        {
            var all = byShape.SelectMany(l => l).ToArray();
            if (all.FirstOrDefault(x => x.FirstError is not null) is { } failed)
            {
                sb.AppendLine($"errors of {target}: e.g. {failed.FirstError}");
            }

            var others = all.SelectMany(x => x.OtherModels).GroupBy(m => m).Select(g => $"{g.Key} {g.Count()}").ToArray();
            if (others.Length > 0)
            {
                sb.AppendLine($"note: {target} answered with other models than {o.Model}: {string.Join(", ", others)}");
            }

            for (var s = 0; s < shapes.Count; s++)
            {
                var done = byShape[s].Sum(x => x.Requests - x.Errors);
                var tokens = byShape[s].Sum(x => x.Tokens);
                if (done > 0 && tokens / (double)done < shapes[s].Tokens * 0.95)
                {
                    sb.AppendLine($"note: {target} reported {tokens / (double)done:0.#} tokens per answer at {shapes[s]}: the simulator did not follow the directive");
                }
            }
        }

        return sb.ToString();
    }

    private static double? PerAnswer(IReadOnlyCollection<BatchCpu> batches, double? idleShare)
    {
        var n = batches.Sum(x => x.Requests);
        if (n == 0 || batches.Any(x => x.Cpu.CpuSeconds is null))
        {
            return null;
        }

        var cpu = batches.Sum(x => x.Cpu.CpuSeconds!.Value);
        var wall = batches.Sum(x => x.Cpu.WallSeconds);
        return (cpu - ((idleShare ?? 0) * wall)) * 1000 / n;
    }

    private static (double? UsPerToken, double? FixedMs) Fit(AnswerShape a, AnswerShape b, double? msA, double? msB)
    {
        if (msA is not { } x || msB is not { } y)
        {
            return (null, null);
        }

        var perTokenMs = (y - x) / (b.Tokens - a.Tokens);
        return (perTokenMs * 1000, x - (perTokenMs * a.Tokens));
    }

    private static string Chunks(List<BatchCpu> batches)
    {
        var done = batches.Sum(x => x.Requests - x.Errors);
        return done > 0 ? $"{batches.Sum(x => x.Chunks) / (double)done:0.#}" : "-";
    }

    private static string Range(double[] sorted, string format) =>
        sorted.Length == 0 ? "-" : $"{sorted[0].ToString(format)} / {sorted[sorted.Length / 2].ToString(format)} / {sorted[^1].ToString(format)}";

    private static string Num(double? v, string format) => v is { } x ? x.ToString(format) : "-";
}
