namespace Router.LoadTest.Options;

/// <summary>What the tool drives: the router's SSE endpoint, Ollama's NDJSON endpoint, or both back to back.</summary>
internal enum Verb
{
    Router,
    Direct,
    Overhead,
    Burst,
    Tokens,
}

/// <summary>Settings of one invocation, parsed from the command line by <see cref="LoadTestCommandLine"/>.</summary>
internal sealed class LoadTestOptions
{
    public Verb Verb { get; set; }

    public Uri RouterUrl { get; set; } = new("http://127.0.0.1:8080");

    public Uri OllamaUrl { get; set; } = new("http://127.0.0.1:11434");

    /// <summary>Model named in direct-mode requests; the router's classifier picks its own.</summary>
    public string Model { get; set; } = "llama3.2";

    /// <summary>Closed-loop streams; null when an open arrival rate is used instead.</summary>
    public int? Concurrency { get; set; }

    /// <summary>Open arrival rate in requests per second.</summary>
    public double? Rate { get; set; }

    public TimeSpan Ramp { get; set; } = TimeSpan.Zero;

    /// <summary>Time during which new requests are started; in-flight requests then finish.</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>Counted requests to issue (after warm-up); an alternative or additional stop condition.</summary>
    public long? Requests { get; set; }

    public string? PromptsFile { get; set; }

    public int? Users { get; set; }

    public string UserPrefix { get; set; } = "loadtest-user-";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public string? OutFile { get; set; }

    public string? HtmlFile { get; set; }

    public int Warmup { get; set; }

    public bool FailOnError { get; set; }

    public bool Quiet { get; set; }

    /// <summary>Open-arrival guard: arrivals beyond this many in-flight requests are skipped and counted.</summary>
    public int MaxInFlight { get; set; } = 10_000;

    /// <summary>Pause between the direct and the router run of <c>overhead</c>, so sockets and GC settle.</summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>burst</c>: the bare relay, driven like the router (<c>POST /complete</c>); none when absent.</summary>
    public Uri? RelayUrl { get; set; }

    /// <summary><c>burst</c>: burst sizes, each with its number of rounds.</summary>
    public IReadOnlyList<BurstLevel> Bursts { get; set; } = [new(1, 30), new(50, 10), new(200, 5)];

    /// <summary><c>burst</c>: pause after each target's burst, so one burst's tail never overlaps the next.</summary>
    public TimeSpan Pause { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary><c>burst</c>: uncounted rounds at the largest size first (JIT, connection pools, per-user state).</summary>
    public int WarmupRounds { get; set; } = 2;

    /// <summary><c>burst</c>: no traffic for this long after the warm-up, to measure the servers' idle CPU.</summary>
    public TimeSpan Idle { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>tokens</c>: the two answer lengths whose CPU difference gives the CPU per token.</summary>
    public IReadOnlyList<AnswerShape> Answers { get; set; } = [new(20, 20), new(200, 2)];

    /// <summary><c>tokens</c>: simultaneous requests per batch and counted rounds (<c>--bursts</c>, first size).</summary>
    public BurstLevel TokenBatch { get; set; } = new(20, 10);

    /// <summary><c>tokens</c>: a second router build measured in the same run (named <c>router-b</c>), for A/B.</summary>
    public Uri? CompareUrl { get; set; }

    public int? ComparePid { get; set; }

    /// <summary><c>burst</c>, <c>tokens</c>: an OpenAI-compatible gateway driven as one more target (Portkey's, in the scripts).</summary>
    public Uri? OpenAiUrl { get; set; }

    public int? OpenAiPid { get; set; }

    public string OpenAiName { get; set; } = "openai";

    /// <summary>Headers sent with every request to <see cref="OpenAiUrl"/>, e.g. where a gateway is to relay it.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> OpenAiHeaders { get; set; } = [];

    /// <summary><c>burst</c>, <c>tokens</c>: the router driven through its OpenAI surface as well, as <c>router-oai</c>.</summary>
    public bool RouterOpenAi { get; set; }

    public int? RouterPid { get; set; }

    public int? RelayPid { get; set; }

    /// <summary>Units of utime and stime in <c>/proc/&lt;pid&gt;/stat</c> (<c>getconf CLK_TCK</c>).</summary>
    public int ClockTicks { get; set; } = 100;

    public int EffectiveConcurrency => Concurrency ?? 10;

    public int EffectiveUsers => Users ?? Math.Max(Concurrency ?? (int)Math.Ceiling(Rate ?? 0), 100);

    /// <summary>A run needs a stop condition; thirty seconds when none is given.</summary>
    public TimeSpan? EffectiveDuration => Duration ?? (Requests is null ? TimeSpan.FromSeconds(30) : null);

    public string DescribeLoad()
    {
        var shape = Rate is { } r ? $"rate {r:0.##} req/s" : $"concurrency {EffectiveConcurrency}";
        var stop = (EffectiveDuration, Requests) switch
        {
            ({ } d, { } n) => $"duration {Durations.Format(d)} or {n} requests",
            ({ } d, null) => $"duration {Durations.Format(d)}",
            (null, { } n) => $"{n} requests",
            _ => "",
        };
        return $"{shape}, ramp {Durations.Format(Ramp)}, {stop}, warmup {Warmup}, users {EffectiveUsers}, timeout {Durations.Format(Timeout)}";
    }
}
