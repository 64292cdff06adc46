using System.Globalization;

namespace Router.LoadTest.Options;

/// <summary>Thrown for a bad command line; the message is shown to the user with the usage text.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Hand-written parser: <c>&lt;verb&gt; [--option value | --flag]...</c>, also <c>--option=value</c>.</summary>
internal static class ArgParser
{
    public const string Usage = """
        Router.LoadTest — drives POST /complete (SSE) or Ollama's /api/chat (NDJSON) with many concurrent streams.

        usage: Router.LoadTest <router|direct|overhead|burst> [options]

          router      load the router:            POST {--url}/complete, X-User-Id, SSE
          direct      load Ollama or the simulator: POST {--ollama-url}/api/chat, NDJSON
          overhead    direct, then router, with identical settings; prints both and the difference
          burst       N simultaneous new requests per target (direct, relay, router), interleaved per round;
                      prints added TTFT over direct per burst size, and CPU per request of the servers

        load shape
          --concurrency N      closed loop: N streams, each starts a new request when one ends (default 10)
          --rate R             open arrival: R requests/s regardless of completions (excludes --concurrency)
          --ramp 5s            concurrency or rate grows linearly from 0 over this time (default 0s)
          --duration 30s       start requests for this long, then let in-flight ones finish (default 30s)
          --requests N         stop after N counted requests (with --duration: whichever comes first)
          --warmup N           the first N requests are sent but not counted (default 0)
          --max-in-flight N    open arrival only: skip arrivals beyond N in-flight requests (default 10000)
        workload
          --prompts FILE       one prompt per line (blank lines and lines starting with # ignored);
                               default: a built-in mix of conversational and knowledge prompts
          --users N            distinct X-User-Id values, used round robin (default max(concurrency, 100))
          --user-prefix P      X-User-Id prefix (default loadtest-user-)
          --model NAME         model named in direct requests (default llama3.2)
        endpoints
          --url URL            router base URL (default http://127.0.0.1:8080)
          --ollama-url URL     Ollama base URL (default http://127.0.0.1:11434)
          --timeout 60s        per-request client timeout, whole stream included (default 60s)
        output
          --out FILE           write results as JSON
          --html FILE          write a self-contained HTML report with charts (inline SVG)
          --quiet              no live progress line
          --fail-on-error      exit code 1 unless every counted request ended with done
          --settle 2s          overhead only: pause between the two runs (default 2s)

        burst
          --relay-url URL      the bare relay (POST /complete); without it only direct and router run
          --bursts 1:30,50:10  burst sizes, each :rounds (default 1:30,50:10,200:5; bare size: --rounds)
          --rounds K           rounds of a size given without :rounds (default 10)
          --pause 500ms        pause after each burst (default 500ms)
          --warmup-rounds K    uncounted rounds at the largest size first (default 2)
          --idle 10s           no traffic for this long after warm-up: idle CPU of the servers (default 10s)
          --router-pid P, --relay-pid P   processes whose utime+stime (/proc/P/stat) are read per phase
          --clock-ticks T      /proc stat units per second, getconf CLK_TCK (default 100)

        durations: 500ms, 30s, 2m, 1h or bare seconds. Exit codes: 0 ok, 1 errors with --fail-on-error, 2 usage.
        """;

    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new UsageException("missing verb");
        }

        var o = new LoadTestOptions
        {
            Verb = args[0].ToLowerInvariant() switch
            {
                "router" => Verb.Router,
                "direct" => Verb.Direct,
                "overhead" => Verb.Overhead,
                "burst" => Verb.Burst,
                var v => throw new UsageException($"unknown verb '{v}'"),
            },
        };

        string? bursts = null;
        var rounds = 10;
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{arg} needs a value");
                }

                return args[++i];
            }

            switch (arg)
            {
                case "--url": o.RouterUrl = ParseUrl(arg, Value()); break;
                case "--ollama-url": o.OllamaUrl = ParseUrl(arg, Value()); break;
                case "--model": o.Model = NonEmpty(arg, Value()); break;
                case "--concurrency": o.Concurrency = (int)ParseLong(arg, Value(), 1, 1_000_000); break;
                case "--rate": o.Rate = ParsePositiveDouble(arg, Value()); break;
                case "--ramp": o.Ramp = ParseDuration(arg, Value()); break;
                case "--duration": o.Duration = ParseDuration(arg, Value(), positive: true); break;
                case "--requests": o.Requests = ParseLong(arg, Value(), 1, long.MaxValue); break;
                case "--prompts": o.PromptsFile = NonEmpty(arg, Value()); break;
                case "--users": o.Users = (int)ParseLong(arg, Value(), 1, 10_000_000); break;
                case "--user-prefix": o.UserPrefix = NonEmpty(arg, Value()); break;
                case "--timeout": o.Timeout = ParseDuration(arg, Value(), positive: true); break;
                case "--out": o.OutFile = NonEmpty(arg, Value()); break;
                case "--html": o.HtmlFile = NonEmpty(arg, Value()); break;
                case "--warmup": o.Warmup = (int)ParseLong(arg, Value(), 0, int.MaxValue); break;
                case "--max-in-flight": o.MaxInFlight = (int)ParseLong(arg, Value(), 1, int.MaxValue); break;
                case "--settle": o.Settle = ParseDuration(arg, Value()); break;
                case "--relay-url": o.RelayUrl = ParseUrl(arg, Value()); break;
                case "--bursts": bursts = NonEmpty(arg, Value()); break;
                case "--rounds": rounds = (int)ParseLong(arg, Value(), 1, 100_000); break;
                case "--pause": o.Pause = ParseDuration(arg, Value()); break;
                case "--warmup-rounds": o.WarmupRounds = (int)ParseLong(arg, Value(), 0, 1000); break;
                case "--idle": o.Idle = ParseDuration(arg, Value()); break;
                case "--router-pid": o.RouterPid = (int)ParseLong(arg, Value(), 1, int.MaxValue); break;
                case "--relay-pid": o.RelayPid = (int)ParseLong(arg, Value(), 1, int.MaxValue); break;
                case "--clock-ticks": o.ClockTicks = (int)ParseLong(arg, Value(), 1, 1_000_000); break;
                case "--fail-on-error": o.FailOnError = Flag(arg, inline); break;
                case "--quiet": o.Quiet = Flag(arg, inline); break;
                default: throw new UsageException($"unknown option '{args[i]}'");
            }
        }

        if (o.Concurrency is not null && o.Rate is not null)
        {
            throw new UsageException("--concurrency and --rate are mutually exclusive");
        }

        if (bursts is not null)
        {
            o.Bursts = BurstLevel.ParseList(bursts, rounds);
        }

        return o;
    }

    private static bool Flag(string name, string? inline) => inline switch
    {
        null or "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new UsageException($"{name} is a flag; '{inline}' is not true or false"),
    };

    private static string NonEmpty(string name, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new UsageException($"{name} must not be empty") : value;

    private static Uri ParseUrl(string name, string value) =>
        Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"{name}: '{value}' is not an http(s) URL");

    private static long ParseLong(string name, string value, long min, long max) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new UsageException($"{name}: '{value}' is not an integer in [{min}, {max}]");

    private static double ParsePositiveDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && double.IsFinite(d)
            ? d
            : throw new UsageException($"{name}: '{value}' is not a positive number");

    private static TimeSpan ParseDuration(string name, string value, bool positive = false) =>
        Durations.TryParse(value, out var t) && (!positive || t > TimeSpan.Zero)
            ? t
            : throw new UsageException($"{name}: '{value}' is not a{(positive ? " positive" : "")} duration (e.g. 500ms, 30s, 2m)");
}
