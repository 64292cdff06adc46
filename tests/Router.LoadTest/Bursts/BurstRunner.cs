using System.Diagnostics;
using Router.LoadTest.Clients;
using Router.LoadTest.Options;

namespace Router.LoadTest.Bursts;

/// <summary>What one burst size produced: every request of every target, and each server's CPU over the level and over each round.</summary>
internal sealed record LevelResult(
    BurstLevel Level,
    IReadOnlyDictionary<string, List<RequestRecord>> Records,
    CpuSpan RouterCpu,
    CpuSpan RelayCpu,
    IReadOnlyList<RoundCpu> Rounds);

/// <summary>
/// Each server's CPU over one round: the same window for both (every target's burst and pause), in
/// which each got one burst of the same prompts, so their ratio compares them under the same load.
/// </summary>
internal readonly record struct RoundCpu(CpuSpan Router, CpuSpan Relay);

/// <summary>
/// Sends bursts: N requests started at once on one target, all awaited, a pause, then the same N
/// prompts on the next target. The target order changes each round (<see cref="Turn"/>), and
/// every request has a prompt no earlier request had, so no classifier cache answers for the router.
/// </summary>
internal sealed class BurstRunner(IReadOnlyList<StreamClient> targets, LoadTestOptions options)
{
    private static readonly NullObserver Observer = new();
    private int _nextPrompt;

    /// <summary>Prompts a whole run needs: warm-up rounds at the largest size, then every counted round.</summary>
    public static int PromptsNeeded(LoadTestOptions o) =>
        (o.WarmupRounds * o.Bursts.Max(b => b.Size)) + o.Bursts.Sum(b => b.Size * b.Rounds);

    public async Task<LevelResult> RunAsync(BurstLevel level, CancellationToken abort)
    {
        var records = targets.ToDictionary(t => t.Name, _ => new List<RequestRecord>(level.Size * level.Rounds));
        var started = Stopwatch.GetTimestamp();
        var router0 = ProcessCpu.Read(options.RouterPid, options.ClockTicks);
        var relay0 = ProcessCpu.Read(options.RelayPid, options.ClockTicks);
        var rounds = new List<RoundCpu>(level.Rounds);
        var (roundStarted, routerAt, relayAt) = (started, ThreadCpu.Read(options.RouterPid), ThreadCpu.Read(options.RelayPid));
        for (var round = 0; round < level.Rounds && !abort.IsCancellationRequested; round++)
        {
            for (var k = 0; k < targets.Count && !abort.IsCancellationRequested; k++)
            {
                var target = targets[Turn(round, k, targets.Count)];
                records[target.Name].AddRange(await FireAsync(target, level.Size, _nextPrompt, abort));
                await PauseAsync(abort);
            }

            _nextPrompt += level.Size;
            var (now, routerNow, relayNow) = (Stopwatch.GetTimestamp(), ThreadCpu.Read(options.RouterPid), ThreadCpu.Read(options.RelayPid));
            var roundWall = RequestRecord.Ms(now - roundStarted) / 1000;
            rounds.Add(new RoundCpu(
                new CpuSpan(routerAt is null ? null : routerNow?.Since(routerAt), roundWall),
                new CpuSpan(relayAt is null ? null : relayNow?.Since(relayAt), roundWall)));
            (roundStarted, routerAt, relayAt) = (now, routerNow, relayNow);
        }

        var wall = RequestRecord.Ms(Stopwatch.GetTimestamp() - started) / 1000;
        return new LevelResult(
            level,
            records,
            new CpuSpan(ProcessCpu.Read(options.RouterPid, options.ClockTicks) - router0, wall),
            new CpuSpan(ProcessCpu.Read(options.RelayPid, options.ClockTicks) - relay0, wall),
            rounds);
    }

    /// <summary>
    /// Which target goes <paramref name="k"/>-th in a round: the order rotates every round and runs
    /// backwards every other cycle of rotations, so each target goes first, and follows each other
    /// target, equally often (with three targets all six orders come in turn). A target that always
    /// followed the same one would always share the machine with that one's deferred work.
    /// </summary>
    internal static int Turn(int round, int k, int count)
    {
        var start = round % count;
        return (round / count) % 2 == 0 ? (start + k) % count : (start - k + count) % count;
    }

    /// <summary>N requests, all started before any is awaited; request i comes from user i.</summary>
    private async Task<RequestRecord[]> FireAsync(StreamClient target, int size, int firstPrompt, CancellationToken abort)
    {
        var records = new RequestRecord[size];
        var runs = new Task[size];
        for (var i = 0; i < size; i++)
        {
            records[i] = new RequestRecord { Index = firstPrompt + i };
            var user = options.UserPrefix + (i + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            runs[i] = target.RunAsync(records[i], new(firstPrompt + i, false, user, firstPrompt + i), options.Timeout, Observer, abort);
        }

        await Task.WhenAll(runs).ConfigureAwait(false);
        return records;
    }

    private async Task PauseAsync(CancellationToken abort)
    {
        try
        {
            await Task.Delay(options.Pause, abort).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Bursts report at the end only; nothing to show live.</summary>
    private sealed class NullObserver : IStreamObserver
    {
        public void OnFirstToken(RequestRecord record)
        {
        }

        public void OnChunk(RequestRecord record)
        {
        }
    }
}
