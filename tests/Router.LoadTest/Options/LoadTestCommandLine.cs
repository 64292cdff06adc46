using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Router.LoadTest.Options;

/// <summary>Thrown for a bad command line or workload; the message is shown to the user.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The tool's command line on <see cref="System.CommandLine"/>: one sub-command per verb, every option
/// shared by all of them. Values are checked as they are parsed, so a bad one is a usage error naming it.
/// </summary>
internal static class LoadTestCommandLine
{
    private static readonly Option<Uri> RouterUrl = Url("--url", "router base URL (default http://127.0.0.1:8080)");
    private static readonly Option<Uri> OllamaUrl = Url("--ollama-url", "Ollama base URL (default http://127.0.0.1:11434)");
    private static readonly Option<string> Model = Text("--model", "NAME", "model named in direct requests (default llama3.2)");
    private static readonly Option<long> Concurrency = Integer("--concurrency", 1, 1_000_000, "closed loop: N streams, each starts a new request when one ends (default 10)");
    private static readonly Option<double> Rate = Positive("--rate", "open arrival: R requests/s regardless of completions (excludes --concurrency)");
    private static readonly Option<TimeSpan> Ramp = Duration("--ramp", false, "concurrency or rate grows linearly from 0 over this time (default 0s)");
    private static readonly Option<TimeSpan> RunDuration = Duration("--duration", true, "start requests for this long, then let in-flight ones finish (default 30s)");
    private static readonly Option<long> Requests = Integer("--requests", 1, long.MaxValue, "stop after N counted requests (with --duration: whichever comes first)");
    private static readonly Option<long> Warmup = Integer("--warmup", 0, int.MaxValue, "the first N requests are sent but not counted (default 0)");
    private static readonly Option<long> MaxInFlight = Integer("--max-in-flight", 1, int.MaxValue, "open arrival only: skip arrivals beyond N in-flight requests (default 10000)");
    private static readonly Option<string> Prompts = Text("--prompts", "FILE", "one prompt per line (blank and # lines ignored); default: a built-in mix");
    private static readonly Option<long> Users = Integer("--users", 1, 10_000_000, "distinct X-User-Id values, used round robin (default max(concurrency, 100))");
    private static readonly Option<string> UserPrefix = Text("--user-prefix", "P", "X-User-Id prefix (default loadtest-user-)");
    private static readonly Option<TimeSpan> Timeout = Duration("--timeout", true, "per-request client timeout, whole stream included (default 60s)");
    private static readonly Option<string> Out = Text("--out", "FILE", "write results as JSON");
    private static readonly Option<string> Html = Text("--html", "FILE", "write a self-contained HTML report with charts (inline SVG)");
    private static readonly Option<bool> Quiet = new("--quiet") { Description = "no live progress line" };
    private static readonly Option<bool> FailOnError = new("--fail-on-error") { Description = "exit code 1 unless every counted request ended with done" };
    private static readonly Option<TimeSpan> Settle = Duration("--settle", false, "overhead only: pause between the two runs (default 2s)");
    private static readonly Option<Uri> RelayUrl = Url("--relay-url", "burst: the bare relay (POST /complete); without it only direct and router run");
    private static readonly Option<string> Bursts = Text("--bursts", "LIST", "burst: sizes, each :rounds (default 1:30,50:10,200:5; bare size: --rounds)");
    private static readonly Option<long> Rounds = Integer("--rounds", 1, 100_000, "burst: rounds of a size given without :rounds (default 10)");
    private static readonly Option<TimeSpan> Pause = Duration("--pause", false, "burst: pause after each burst (default 500ms)");
    private static readonly Option<long> WarmupRounds = Integer("--warmup-rounds", 0, 1000, "burst: uncounted rounds at the largest size first (default 2)");
    private static readonly Option<TimeSpan> Idle = Duration("--idle", false, "burst: no traffic for this long after warm-up, for idle CPU (default 10s)");
    private static readonly Option<long> RouterPid = Integer("--router-pid", 1, int.MaxValue, "burst: router process whose utime+stime (/proc/P/stat) is read per phase");
    private static readonly Option<long> RelayPid = Integer("--relay-pid", 1, int.MaxValue, "burst: relay process read the same way");
    private static readonly Option<string> Answers = Text("--answers", "LIST", "tokens: two answer lengths, TOKENS@GAP each (default 20@20ms,200@2ms)");
    private static readonly Option<Uri> CompareUrl = Url("--compare-url", "tokens: a second router build, measured in the same run as router-b");
    private static readonly Option<long> ComparePid = Integer("--compare-pid", 1, int.MaxValue, "tokens: the process of --compare-url");
    private static readonly Option<Uri> OpenAiUrl = Url("--openai-url", "burst, tokens: an OpenAI-compatible gateway (POST /v1/chat/completions, SSE) as one more target, e.g. Portkey's");
    private static readonly Option<long> OpenAiPid = Integer("--openai-pid", 1, int.MaxValue, "tokens: the process of --openai-url");
    private static readonly Option<string> OpenAiName = Text("--openai-name", "NAME", "burst, tokens: the name of --openai-url in reports (default openai)");
    private static readonly Option<string[]> OpenAiHeaders = Headers("--openai-header", "burst, tokens: 'Name: value' sent with every request to --openai-url; repeatable");
    private static readonly Option<bool> RouterOpenAi = new("--router-openai") { Description = "burst, tokens: also drive the router through its OpenAI surface (model auto) as router-oai" };
    private static readonly Option<long> ClockTicks = Integer("--clock-ticks", 1, 1_000_000, "burst: /proc stat units per second, getconf CLK_TCK (default 100)");

    private static readonly (Verb Verb, string Name, string Description)[] Verbs =
    [
        (Verb.Router, "router", "load the router: POST {--url}/complete, X-User-Id, SSE"),
        (Verb.Direct, "direct", "load Ollama or the simulator: POST {--ollama-url}/api/chat, NDJSON"),
        (Verb.Overhead, "overhead", "direct, then router, with identical settings; prints both and the difference"),
        (Verb.Burst, "burst", "N simultaneous new requests per target (direct, relay, router), interleaved per round; added TTFT and CPU per request"),
        (Verb.Tokens, "tokens", "CPU per answer of relay and router at two answer lengths (--answers), batches of --bursts SIZE:ROUNDS (default 20:10); CPU per token and fixed CPU per request"),
    ];

    /// <summary>The command tree; <see cref="Bind"/> turns a successful parse into options.</summary>
    public static RootCommand Root { get; } = CreateRoot();

    private static RootCommand CreateRoot()
    {
        var root = new RootCommand(
            "Router.LoadTest: drives POST /complete (SSE) or Ollama's /api/chat (NDJSON) with many concurrent streams. " +
            "Durations: 500ms, 30s, 2m, 1h or bare seconds. Exit codes: 0 ok, 1 errors with --fail-on-error, 2 usage.");
        Option[] all =
        [
            RouterUrl, OllamaUrl, Model, Concurrency, Rate, Ramp, RunDuration, Requests, Warmup, MaxInFlight, Prompts, Users, UserPrefix,
            Timeout, Out, Html, Quiet, FailOnError, Settle, RelayUrl, Bursts, Rounds, Pause, WarmupRounds, Idle, RouterPid, RelayPid, ClockTicks, Answers, CompareUrl, ComparePid,
            OpenAiUrl, OpenAiPid, OpenAiName, OpenAiHeaders, RouterOpenAi,
        ];
        foreach (var option in all)
        {
            option.Recursive = true;
            root.Options.Add(option);
        }

        foreach (var (_, name, description) in Verbs)
        {
            root.Subcommands.Add(new Command(name, description));
        }

        return root;
    }

    /// <summary>The options of a parse without errors; throws <see cref="UsageException"/> for what only the whole line can tell.</summary>
    public static LoadTestOptions Bind(ParseResult parse)
    {
        var name = parse.CommandResult.Command.Name;
        var verb = Verbs.FirstOrDefault(v => v.Name == name);
        if (verb.Name is null)
        {
            throw new UsageException("missing verb: router, direct, overhead, burst or tokens");
        }

        var o = new LoadTestOptions { Verb = verb.Verb };
        void Set<T>(Option<T> option, Action<T> apply)
        {
            if (parse.GetResult(option) is not null) apply(parse.GetValue(option)!);
        }

        Set(RouterUrl, v => o.RouterUrl = v);
        Set(OllamaUrl, v => o.OllamaUrl = v);
        Set(Model, v => o.Model = v);
        Set(Concurrency, v => o.Concurrency = (int)v);
        Set(Rate, v => o.Rate = v);
        Set(Ramp, v => o.Ramp = v);
        Set(RunDuration, v => o.Duration = v);
        Set(Requests, v => o.Requests = v);
        Set(Warmup, v => o.Warmup = (int)v);
        Set(MaxInFlight, v => o.MaxInFlight = (int)v);
        Set(Prompts, v => o.PromptsFile = v);
        Set(Users, v => o.Users = (int)v);
        Set(UserPrefix, v => o.UserPrefix = v);
        Set(Timeout, v => o.Timeout = v);
        Set(Out, v => o.OutFile = v);
        Set(Html, v => o.HtmlFile = v);
        Set(Quiet, v => o.Quiet = v);
        Set(FailOnError, v => o.FailOnError = v);
        Set(Settle, v => o.Settle = v);
        Set(RelayUrl, v => o.RelayUrl = v);
        Set(Pause, v => o.Pause = v);
        Set(WarmupRounds, v => o.WarmupRounds = (int)v);
        Set(Idle, v => o.Idle = v);
        Set(RouterPid, v => o.RouterPid = (int)v);
        Set(RelayPid, v => o.RelayPid = (int)v);
        Set(ClockTicks, v => o.ClockTicks = (int)v);
        Set(Bursts, v => o.Bursts = BurstLevel.ParseList(v, parse.GetResult(Rounds) is null ? 10 : (int)parse.GetValue(Rounds)));
        Set(Answers, v => o.Answers = AnswerShape.ParseList(v));
        Set(CompareUrl, v => o.CompareUrl = v);
        Set(ComparePid, v => o.ComparePid = (int)v);
        Set(OpenAiUrl, v => o.OpenAiUrl = v);
        Set(OpenAiPid, v => o.OpenAiPid = (int)v);
        Set(OpenAiName, v => o.OpenAiName = v);
        Set(OpenAiHeaders, v => o.OpenAiHeaders = [.. v.Select(SplitHeader)]);
        Set(RouterOpenAi, v => o.RouterOpenAi = v);
        if (o.Verb == Verb.Tokens && parse.GetResult(Bursts) is not null)
        {
            o.TokenBatch = o.Bursts[0];
        }

        if (o.Concurrency is not null && o.Rate is not null)
        {
            throw new UsageException("--concurrency and --rate are mutually exclusive");
        }

        return o;
    }

    private static Option<T> Checked<T>(string name, string helpName, string description, Func<string, (bool Ok, T Value)> parse, string expected) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            var (ok, value) = parse(text);
            if (!ok) result.AddError($"{name}: '{text}' is not {expected}");
            return value;
        },
    };

    /// <summary>A repeatable <c>Name: value</c> option; each occurrence is checked on its own.</summary>
    private static Option<string[]> Headers(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "'NAME: VALUE'",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = result =>
        {
            var values = result.Tokens.Select(t => t.Value).ToArray();
            foreach (var v in values.Where(v => v.IndexOf(':') <= 0 || string.IsNullOrWhiteSpace(v[..v.IndexOf(':')])))
            {
                result.AddError($"{name}: '{v}' is not 'Name: value'");
            }

            return values;
        },
    };

    private static KeyValuePair<string, string> SplitHeader(string text)
    {
        var colon = text.IndexOf(':');
        return new(text[..colon].Trim(), text[(colon + 1)..].Trim());
    }

    private static Option<Uri> Url(string name, string description) => Checked(name, "URL", description,
        v => Uri.TryCreate(v.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? (true, uri) : (false, null!),
        "an http(s) URL");

    private static Option<string> Text(string name, string helpName, string description) =>
        Checked(name, helpName, description, v => (!string.IsNullOrWhiteSpace(v), v), "a non-empty value");

    private static Option<long> Integer(string name, long min, long max, string description) => Checked(name, "N", description,
        v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? (true, n) : (false, 0L),
        $"an integer in [{min}, {max}]");

    private static Option<double> Positive(string name, string description) => Checked(name, "R", description,
        v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && double.IsFinite(d) ? (true, d) : (false, 0d),
        "a positive number");

    private static Option<TimeSpan> Duration(string name, bool positive, string description) => Checked(name, "TIME", description,
        v => Durations.TryParse(v, out var t) && (!positive || t > TimeSpan.Zero) ? (true, t) : (false, TimeSpan.Zero),
        $"a{(positive ? " positive" : "")} duration (e.g. 500ms, 30s, 2m)");
}
