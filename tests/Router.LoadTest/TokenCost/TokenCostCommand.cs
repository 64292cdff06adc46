using System.Diagnostics;
using Router.LoadTest.Bursts;
using Router.LoadTest.Clients;
using Router.LoadTest.Options;
using Router.LoadTest.Workload;

namespace Router.LoadTest.TokenCost;

/// <summary>
/// The <c>tokens</c> verb: CPU per whole answer of the relay and the router at two answer lengths, in
/// one run, so that the difference between the lengths gives the CPU per token (the slope) and what
/// is left at zero tokens the fixed CPU per request (the intercept). Each round sends one batch of
/// simultaneous requests per target and length; the order of targets and of lengths rotates.
/// </summary>
internal static class TokenCostCommand
{
    public static async Task<int> RunAsync(LoadTestOptions options, CancellationToken abort)
    {
        if (options.RouterPid is null && options.RelayPid is null)
        {
            throw new UsageException("tokens: needs --router-pid and/or --relay-pid (the CPU of those processes is what is measured)");
        }

        var shapes = options.Answers;
        var batch = options.TokenBatch;
        var perShape = (options.WarmupRounds + batch.Rounds) * batch.Size;
        var basePrompts = BurstCommand.Prompts(perShape);
        // Prompt i of shape s is base prompt i with the shape's directive: every request new to the classifier cache.
        var prompts = shapes.SelectMany(s => basePrompts.Select(p => $"{p} {s.Directive}")).ToArray();
        var plan = RequestPlan.FromPrompts(prompts, options.Model);
        using var http = StreamClient.CreateHttpClient();
        var targets = new List<(StreamClient Client, int? Pid)>();
        if (options.RelayUrl is { } relayUrl)
        {
            targets.Add((new RouterClient(http, plan, relayUrl, "relay"), options.RelayPid));
        }

        targets.Add((new RouterClient(http, plan, options.RouterUrl), options.RouterPid));
        if (options.CompareUrl is { } compareUrl)
        {
            targets.Add((new RouterClient(http, plan, compareUrl, "router-b"), options.ComparePid));
        }

        targets.AddRange(OpenAiTargets.Create(http, plan, options));
        Console.Error.WriteLine($"tokens: {string.Join(", ", targets.Select(t => $"{t.Client.Name} {t.Client.Endpoint} (pid {t.Pid})"))}; " +
            $"answers {string.Join(" and ", shapes)}; {batch.Rounds} round(s) of {batch.Size} per target and length after {options.WarmupRounds} warm-up round(s)");

        var cells = targets.ToDictionary(t => t.Client.Name, _ => shapes.Select(_ => new List<BatchCpu>()).ToArray());
        for (var round = 0; round < options.WarmupRounds + batch.Rounds && !abort.IsCancellationRequested; round++)
        {
            var counted = round >= options.WarmupRounds;
            for (var k = 0; k < targets.Count && !abort.IsCancellationRequested; k++)
            {
                var (client, pid) = targets[(round + k) % targets.Count];
                for (var j = 0; j < shapes.Count && !abort.IsCancellationRequested; j++)
                {
                    var s = (round + j) % shapes.Count;
                    var firstPrompt = (s * perShape) + (round * batch.Size);
                    var measured = await FireAsync(client, pid, batch.Size, firstPrompt, options, abort);
                    if (counted)
                    {
                        cells[client.Name][s].Add(measured);
                    }

                    await PauseAsync(options.Pause, abort);
                }
            }

            if (round + 1 == options.WarmupRounds)
            {
                Console.Error.WriteLine($"warm-up: {options.WarmupRounds} round(s) done");
            }
        }

        var idle = await MeasureIdleAsync(targets, options, abort);
        Console.Out.WriteLine(TokenCostReport.Format(shapes, batch, cells, idle, options));
        var anyError = cells.Values.Any(c => c.Any(l => l.Any(b => b.Errors > 0)));
        return options.FailOnError && (anyError || abort.IsCancellationRequested) ? 1 : 0;
    }

    /// <summary>N requests started at once on one target; the target's CPU over the batch, read before and after.</summary>
    private static async Task<BatchCpu> FireAsync(StreamClient target, int? pid, int size, int firstPrompt, LoadTestOptions o, CancellationToken abort)
    {
        var records = new RequestRecord[size];
        var runs = new Task[size];
        var started = Stopwatch.GetTimestamp();
        var cpu0 = ProcessCpu.Read(pid, o.ClockTicks);
        for (var i = 0; i < size; i++)
        {
            records[i] = new RequestRecord { Index = firstPrompt + i };
            var user = o.UserPrefix + (i + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            runs[i] = target.RunAsync(records[i], new(firstPrompt + i, false, user, firstPrompt + i), o.Timeout, NullObserver.Instance, abort);
        }

        await Task.WhenAll(runs).ConfigureAwait(false);
        var cpu = ProcessCpu.Read(pid, o.ClockTicks) - cpu0;
        var wall = RequestRecord.Ms(Stopwatch.GetTimestamp() - started) / 1000;
        var done = records.Where(r => r.Outcome == OutcomeKind.Done).ToArray();
        return new BatchCpu(
            new CpuSpan(cpu, wall),
            size,
            records.Count(r => r.IsError),
            done.Sum(r => r.Chunks),
            done.Sum(r => r.Tokens),
            records.Where(r => r.Model is { } m && m != o.Model).Select(r => r.Model!).ToArray(),
            records.Where(r => r.IsError).Select(r => r.OutcomeKey + " " + r.Detail).FirstOrDefault());
    }

    private static async Task<Dictionary<string, CpuSpan>> MeasureIdleAsync(List<(StreamClient Client, int? Pid)> targets, LoadTestOptions o, CancellationToken abort)
    {
        if (o.Idle <= TimeSpan.Zero || abort.IsCancellationRequested)
        {
            return targets.ToDictionary(t => t.Client.Name, _ => new CpuSpan(null, 0));
        }

        await PauseAsync(TimeSpan.FromSeconds(5), abort);
        Console.Error.WriteLine($"idle: {o.Idle.TotalSeconds:0.#} s without traffic");
        var started = Stopwatch.GetTimestamp();
        var before = targets.ToDictionary(t => t.Client.Name, t => ProcessCpu.Read(t.Pid, o.ClockTicks));
        await PauseAsync(o.Idle, abort);
        var wall = RequestRecord.Ms(Stopwatch.GetTimestamp() - started) / 1000;
        return targets.ToDictionary(t => t.Client.Name, t => new CpuSpan(ProcessCpu.Read(t.Pid, o.ClockTicks) - before[t.Client.Name], wall));
    }

    private static async Task PauseAsync(TimeSpan pause, CancellationToken abort)
    {
        try
        {
            await Task.Delay(pause, abort).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class NullObserver : IStreamObserver
    {
        public static readonly NullObserver Instance = new();

        public void OnFirstToken(RequestRecord record)
        {
        }

        public void OnChunk(RequestRecord record)
        {
        }
    }
}

/// <summary>One batch of one target at one answer length: the target's CPU over it and what came back.</summary>
internal sealed record BatchCpu(CpuSpan Cpu, int Requests, int Errors, long Chunks, long Tokens, string[] OtherModels, string? FirstError);
