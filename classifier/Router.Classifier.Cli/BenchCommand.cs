using System.Diagnostics;
using System.Text;
using Router.Classifier.Conversations;

namespace Router.Classifier.Cli;

/// <summary>In-process figures: time to a ready model, single-caller latency by message size, and throughput under concurrent callers.</summary>
internal static class BenchCommand
{
    public static int Run(CommandLine commandLine)
    {
        var iterations = commandLine.GetInt("iterations", 20_000);
        var threads = commandLine.GetInt("threads", Environment.ProcessorCount);
        var stopwatch = Stopwatch.StartNew();
        var options = new ClassifierModelOptions { ModelPath = commandLine.Get("model") };
        options.Encoder.Enabled = !commandLine.Has("no-encoder");
        if (commandLine.Get("escalate-below") is { } bound)
        {
            options.Encoder.EscalateBelow = double.Parse(bound, System.Globalization.CultureInfo.InvariantCulture);
        }

        Console.WriteLine($"load average at the start: {ThreadCpuClock.LoadAverage()} ({Environment.ProcessorCount} cores)");
        using var model = PromptCategoryModelFactory.Create(options);
        Console.WriteLine($"model ready (n-gram tier serving) in {stopwatch.ElapsedMilliseconds} ms ({commandLine.Get("model") ?? "the shipped model"})");
        model.EncoderReady.GetAwaiter().GetResult();
        Console.WriteLine($"encoder tier {(model.HasEncoderTier ? $"ready (below {options.Encoder.EscalateBelow})" : "off")} {stopwatch.ElapsedMilliseconds} ms after the start");
        stopwatch.Restart();
        model.Classify("warm-up");
        Console.WriteLine($"first classification {stopwatch.Elapsed.TotalMilliseconds:F1} ms");

        foreach (var size in new[] { 64, 2048, 32 * 1024 })
        {
            var messages = BenchMessages.OfSize(size);
            for (var i = 0; i < 500; i++)
            {
                model.Classify(messages[i % messages.Count]);
            }

            var samples = new double[size > 4096 ? Math.Max(1, iterations / 4) : iterations];
            var threadCpu = new double[samples.Length];
            var cpu = CpuMicroseconds();
            for (var i = 0; i < samples.Length; i++)
            {
                var cpuStart = ThreadCpuClock.Now();
                var start = Stopwatch.GetTimestamp();
                model.Classify(messages[i % messages.Count]);
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                threadCpu[i] = ThreadCpuClock.Now() - cpuStart;
            }

            cpu = (CpuMicroseconds() - cpu) / samples.Length;
            var escalated = messages.Count(m => model.Classify(m).Tier != ClassifierTiers.Ngrams);
            Console.WriteLine($"single caller, {size,6} B UTF-8: {LatencyStats.From(samples)}  cpu/call={cpu:F0} µs  ({escalated} of {messages.Count} messages go to the encoder tier)");
            if (ThreadCpuClock.IsAvailable)
            {
                // The same calls timed on the calling thread's CPU clock: what each call costs, without the time spent descheduled.
                Console.WriteLine($"  on-CPU time per call:       {LatencyStats.From(threadCpu)}");
            }
        }

        if (model.FollowUps is { } followUps)
        {
            // A later turn of a conversation whose category differs from the conversation's and that announces a change of
            // topic is classified twice (as it is and without the announcement), and also weighed by the follow-up detector
            // and the switch's features and probability: this is the most a turn costs.
            var messages = BenchMessages.OfSize(2048);
            var turns = new double[iterations];
            var turnCpu = new double[iterations];
            var bounds = 0.0;
            for (var i = 0; i < turns.Length; i++)
            {
                var message = "By the way, " + messages[i % messages.Count];
                var cpuStart = ThreadCpuClock.Now();
                var start = Stopwatch.GetTimestamp();
                var reading = ConversationRouting.ReadInConversation(message, model.Classify, out var announces);
                var followUp = followUps.Probability(message);
                bounds += ConversationRouting.Switch(null).Probability(message, PromptCategories.Code, reading, followUp, announces);
                turns[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                turnCpu[i] = ThreadCpuClock.Now() - cpuStart;
            }

            GC.KeepAlive(bounds);

            var reads = followUps.ReadsEmbedding ? "the detector reading the embedding" : "the n-gram detector";
            Console.WriteLine($"single caller, 2048 B announcing a change of topic, two readings, follow-up probability and the rule's checks ({reads}): {LatencyStats.From(turns)}");
            if (ThreadCpuClock.IsAvailable)
            {
                Console.WriteLine($"  on-CPU time per call:       {LatencyStats.From(turnCpu)}");
            }
        }

        if (commandLine.Get("data") is { } data)
        {
            // Real prompts rather than synthetic ones: the share the encoder tier sees is the share it would see in use.
            var prompts = Data.LabelledPromptFile.Read(data).Select(p => p.Message).ToList();
            var mixed = new double[Math.Max(iterations, prompts.Count)];
            var escalated = 0;
            var cpu = CpuMicroseconds();
            for (var i = 0; i < mixed.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                var tier = model.Classify(prompts[i % prompts.Count]).Tier;
                mixed[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                escalated += tier == ClassifierTiers.Ngrams ? 0 : 1;
            }

            cpu = (CpuMicroseconds() - cpu) / mixed.Length;
            Console.WriteLine($"single caller, prompts of {data}: {LatencyStats.From(mixed)}  cpu/call={cpu:F0} µs  ({escalated / (double)mixed.Length:P1} to the encoder tier)");
        }

        var concurrentMessages = BenchMessages.OfSize(2048);
        var perThread = iterations / threads;
        var latencies = new double[threads][];
        stopwatch.Restart();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var local = new double[perThread];
            for (var i = 0; i < perThread; i++)
            {
                var start = Stopwatch.GetTimestamp();
                model.Classify(concurrentMessages[(i + t) % concurrentMessages.Count]);
                local[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            latencies[t] = local;
        });
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(x => x).ToArray();
        Console.WriteLine($"{threads} concurrent callers, 2048 B: {LatencyStats.From(all)}  throughput={all.Length / elapsed:F0} classifications/s");

        var unicode = string.Concat(Enumerable.Repeat("🙂 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u0000 \uFFFF é ", 2000));
        var invalidSurrogate = "broken \uD800 surrogate" + new string('x', 40_000);
        Console.WriteLine($"load average at the end: {ThreadCpuClock.LoadAverage()}");
        Console.WriteLine($"unicode {Encoding.UTF8.GetByteCount(unicode)} B → {model.Classify(unicode).Category}; lone surrogate → {model.Classify(invalidSurrogate).Category}");
        return 0;
    }

    /// <summary>
    /// CPU time the whole process has used. On a shared machine the wall-clock tail is mostly time spent
    /// descheduled; CPU time per call shows the work itself (it includes GC and runtime threads, so it is an upper bound).
    /// </summary>
    private static double CpuMicroseconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalMicroseconds;
    }
}
