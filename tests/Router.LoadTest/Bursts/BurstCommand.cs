using System.Diagnostics;
using Router.LoadTest.Clients;
using Router.LoadTest.Options;
using Router.LoadTest.Workload;

namespace Router.LoadTest.Bursts;

/// <summary>
/// The <c>burst</c> verb: warm-up, an idle phase for the servers' idle CPU, then every burst size on
/// every target (direct backend, bare relay, router), and one side-by-side report.
/// </summary>
internal static class BurstCommand
{
    public static async Task<int> RunAsync(LoadTestOptions options, CancellationToken abort)
    {
        var plan = RequestPlan.FromPrompts(Prompts(BurstRunner.PromptsNeeded(options)), options.Model);
        using var http = StreamClient.CreateHttpClient();
        var targets = new List<StreamClient> { new DirectClient(http, plan, options.OllamaUrl) };
        if (options.RelayUrl is { } relayUrl)
        {
            targets.Add(new RouterClient(http, plan, relayUrl, "relay"));
        }

        targets.Add(new RouterClient(http, plan, options.RouterUrl));
        targets.AddRange(OpenAiTargets.Create(http, plan, options).Select(t => t.Client));
        var runner = new BurstRunner(targets, options);
        Console.Error.WriteLine($"burst: {string.Join(", ", targets.Select(t => $"{t.Name} {t.Endpoint}"))}");

        var largest = options.Bursts.Max(b => b.Size);
        if (options.WarmupRounds > 0)
        {
            var warm = await runner.RunAsync(new BurstLevel(largest, options.WarmupRounds), abort);
            var failed = warm.Records.Values.Sum(r => r.Count(x => x.IsError));
            Console.Error.WriteLine($"warm-up: {options.WarmupRounds} round(s) of {largest} per target, {failed} error(s)");
        }

        var afterWarmup = await MeasureIdleAsync(options, abort);
        var levels = new List<LevelResult>();
        foreach (var level in options.Bursts)
        {
            if (abort.IsCancellationRequested)
            {
                break;
            }

            Console.Error.WriteLine($"burst of {level.Size}: {level.Rounds} round(s)");
            levels.Add(await runner.RunAsync(level, abort));
        }

        // Measured again once all traffic is over: right after the warm-up the servers still finish
        // deferred work (tiered JIT, GC, deactivations), which is not what they burn when idle.
        var idle = abort.IsCancellationRequested ? afterWarmup : await MeasureIdleAsync(options, abort);
        Console.Out.WriteLine(BurstReport.Format(levels, new IdleResult(afterWarmup, idle), targets.Select(t => t.Name).ToArray(), options));
        var anyError = levels.Any(l => l.Records.Values.Any(r => r.Any(x => x.IsError)));
        return options.FailOnError && (anyError || levels.Count == 0 || abort.IsCancellationRequested) ? 1 : 0;
    }

    private static readonly string[] FirstNames =
    [
        "Alice", "Bruno", "Chloe", "Daniel", "Elena", "Felix", "Greta", "Hugo", "Ines", "Jonas",
        "Karin", "Leo", "Maya", "Nils", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tara",
    ];

    private static readonly string[] LastNames =
    [
        "Moreau", "Becker", "Silva", "Novak", "Larsen", "Rossi", "Dubois", "Keller", "Ortega", "Haas",
        "Weber", "Costa", "Meyer", "Laurent", "Nowak", "Fischer", "Blanc", "Romero", "Vogel", "Petit",
    ];

    /// <summary>
    /// Distinct prompts from the default mix, made unique by a greeting with a name rather than a number:
    /// digits send the classifier towards math, and the comparison needs every request on the streaming
    /// model. This form keeps all 12,800 on the conversational model (the classifier CLI's evaluate).
    /// </summary>
    internal static string[] Prompts(int count)
    {
        var all = DefaultPrompts.All;
        var names = FirstNames.Length * LastNames.Length;
        if (count > all.Count * names)
        {
            throw new UsageException($"burst: {count} requests need more distinct prompts than {all.Count * names}");
        }

        return Enumerable.Range(0, count).Select(i =>
        {
            var who = i / all.Count;
            return $"Hello, I'm {FirstNames[who % FirstNames.Length]} {LastNames[who / FirstNames.Length]}! {all[i % all.Count]}";
        }).ToArray();
    }

    /// <summary>No traffic at all for <c>--idle</c>: what the servers burn while waiting (timers, polling, GC).</summary>
    private static async Task<IdleSpan> MeasureIdleAsync(LoadTestOptions o, CancellationToken abort)
    {
        if (o.Idle <= TimeSpan.Zero || (o.RouterPid is null && o.RelayPid is null))
        {
            return new IdleSpan(new(null, 0), new(null, 0));
        }

        // A few seconds first, so the last requests' connections and deferred work are not counted as idle.
        await Task.Delay(TimeSpan.FromSeconds(5), abort);
        var started = Stopwatch.GetTimestamp();
        var router0 = ProcessCpu.Read(o.RouterPid, o.ClockTicks);
        var relay0 = ProcessCpu.Read(o.RelayPid, o.ClockTicks);
        Console.Error.WriteLine($"idle: {o.Idle.TotalSeconds:0.#} s without traffic");
        await Task.Delay(o.Idle, abort);
        var wall = RequestRecord.Ms(Stopwatch.GetTimestamp() - started) / 1000;
        return new IdleSpan(
            new(ProcessCpu.Read(o.RouterPid, o.ClockTicks) - router0, wall),
            new(ProcessCpu.Read(o.RelayPid, o.ClockTicks) - relay0, wall));
    }
}

/// <summary>CPU of the router and the relay over one idle phase.</summary>
internal sealed record IdleSpan(CpuSpan Router, CpuSpan Relay);

/// <summary>The idle phase right after the warm-up, and the one after the last burst, whose rates are subtracted.</summary>
internal sealed record IdleResult(IdleSpan AfterWarmup, IdleSpan AtEnd);
