using System.Text;
using Router.LoadTest.Clients;
using Router.LoadTest.Options;
using Router.LoadTest.Reporting;

namespace Router.LoadTest.Bursts;

/// <summary>
/// The burst tables: TTFT of the direct call and what the relay and the router add over it (the
/// difference of the same percentile on each side), then the servers' CPU per request and idle.
/// </summary>
internal static class BurstReport
{
    public static string Format(IReadOnlyList<LevelResult> levels, IdleResult idle, IReadOnlyList<string> targets, LoadTestOptions options)
    {
        var sb = new StringBuilder();
        sb.AppendLine("== burst: TTFT added over the direct backend call (same prompts and users, targets interleaved per round)");
        sb.Append($"{"burst",6} {"rounds",6} {"direct p50 / p99",18}");
        foreach (var t in targets.Skip(1))
        {
            sb.Append($" {t + " added p50 / p99",24}");
        }

        sb.AppendLine($"   errors ({string.Join(" / ", targets)})");
        foreach (var level in levels)
        {
            var direct = Ttft(level.Records[targets[0]]);
            sb.Append($"{level.Level.Size,6} {level.Level.Rounds,6} {$"{P(direct, 50):0.0} / {P(direct, 99):0.0} ms",18}");
            foreach (var t in targets.Skip(1))
            {
                var other = Ttft(level.Records[t]);
                sb.Append($" {$"{P(other, 50) - P(direct, 50):+0.0;-0.0} / {P(other, 99) - P(direct, 99):+0.0;-0.0} ms",24}");
            }

            sb.AppendLine($"   {string.Join(" / ", targets.Select(t => level.Records[t].Count(r => r.IsError)))}");
        }

        sb.AppendLine();
        sb.AppendLine("TTFT p50 / p99 / max ms, n done per target:");
        foreach (var level in levels)
        {
            sb.Append($"{level.Level.Size,6}");
            foreach (var t in targets)
            {
                var s = Ttft(level.Records[t]);
                sb.Append($"   {t} {P(s, 50):0.0} / {P(s, 99):0.0} / {P(s, 100):0.0} (n {s.Length})");
            }

            sb.AppendLine();
        }

        AppendCpu(sb, levels, idle, options);
        AppendProblems(sb, levels, targets, options);
        return sb.ToString();
    }

    private static void AppendCpu(StringBuilder sb, IReadOnlyList<LevelResult> levels, IdleResult idle, LoadTestOptions o)
    {
        if (o.RouterPid is null && o.RelayPid is null)
        {
            return;
        }

        sb.AppendLine();
        sb.AppendLine($"== CPU of the servers (utime + stime of /proc/<pid>/stat, {o.ClockTicks} ticks/s; router pid {o.RouterPid?.ToString() ?? "-"}, relay pid {o.RelayPid?.ToString() ?? "-"})");
        var (warm, end) = (idle.AfterWarmup, idle.AtEnd);
        sb.AppendLine($"idle over {warm.Router.WallSeconds:0.0} s right after warm-up: router {Pct(warm.Router.PercentOfCore)}, relay {Pct(warm.Relay.PercentOfCore)} of one core");
        sb.AppendLine($"idle over {end.Router.WallSeconds:0.0} s after the last burst:  router {Pct(end.Router.PercentOfCore)}, relay {Pct(end.Relay.PercentOfCore)} of one core");
        sb.AppendLine("CPU per request = (CPU over the burst level - idle share after the last burst x its wall time) / that server's requests in the level");
        sb.AppendLine($"{"burst",6} {"requests",9} {"router ms/req",14} {"relay ms/req",13} {"router/relay",13} {"router core %",14} {"relay core %",13}");
        foreach (var level in levels)
        {
            var n = level.Level.Size * level.Level.Rounds;
            var router = level.RouterCpu.MsPerRequest(end.Router.PercentOfCore / 100, n);
            var relay = level.RelayCpu.MsPerRequest(end.Relay.PercentOfCore / 100, n);
            var ratio = router is { } a && relay is { } b && b > 0 ? $"{a / b:0.00}x" : "-";
            sb.AppendLine($"{level.Level.Size,6} {n,9} {Num(router),14} {Num(relay),13} {ratio,13} {Pct(level.RouterCpu.PercentOfCore),14} {Pct(level.RelayCpu.PercentOfCore),13}");
        }

        // Per round the idle share weighs as much as the work (a round is seconds long, a burst's CPU tens
        // of ms), so the lower of the two idle phases is taken: either can hold deferred work of a server
        // (tiered compilation, a collection) that is no part of its idle.
        RoundRatios.Append(sb, levels, Lower(warm.Router.PercentOfCore, end.Router.PercentOfCore) / 100, Lower(warm.Relay.PercentOfCore, end.Relay.PercentOfCore) / 100);
    }

    private static void AppendProblems(StringBuilder sb, IReadOnlyList<LevelResult> levels, IReadOnlyList<string> targets, LoadTestOptions o)
    {
        foreach (var t in targets)
        {
            var all = levels.SelectMany(l => l.Records[t]).ToArray();
            var errors = all.Where(r => r.IsError).GroupBy(r => r.OutcomeKey).Select(g => $"{g.Key} {g.Count()} (e.g. {g.First().Detail})").ToArray();
            if (errors.Length > 0)
            {
                sb.AppendLine($"errors of {t}: {string.Join("; ", errors)}");
            }

            // A request the classifier sends elsewhere is not streamed from this backend: say so, it skews the comparison.
            var others = all.Where(r => r.Model is { } m && m != o.Model).GroupBy(r => r.Model).Select(g => $"{g.Key} {g.Count()}").ToArray();
            if (others.Length > 0)
            {
                sb.AppendLine($"note: {t} answered with other models than {o.Model}: {string.Join(", ", others)}");
            }
        }
    }

    private static double[] Ttft(List<RequestRecord> records)
    {
        var s = records.Where(r => r.Outcome == OutcomeKind.Done).Select(r => r.TtftMs).Where(double.IsFinite).ToArray();
        Array.Sort(s);
        return s;
    }

    private static double P(double[] sorted, double p) => Percentiles.Of(sorted, p);

    private static double? Lower(double? a, double? b) => a is { } x && b is { } y ? Math.Min(x, y) : a ?? b;

    private static string Pct(double? v) => v is { } x ? $"{x:0.00} %" : "-";

    private static string Num(double? v) => v is { } x ? $"{x:0.000}" : "-";
}
