using System.CommandLine;

namespace Router.Classifier.Cli;

/// <summary>
/// The verbs and their options on <see cref="System.CommandLine"/>; each verb's command reads its
/// parsed options through a <see cref="CommandLine"/>, by option name without the leading dashes.
/// </summary>
internal sealed class CommandLine(ParseResult parse)
{
    public bool Has(string name) => parse.GetValue<bool>("--" + name);

    public string? Get(string name) => parse.GetValue<string>("--" + name);

    public string Require(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required.");

    public IReadOnlyList<string> GetAll(string name) => parse.GetValue<string[]>("--" + name) ?? [];

    public int GetInt(string name, int fallback) => parse.GetValue<int?>("--" + name) ?? fallback;

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("router-classifier: trains, evaluates and benchmarks the prompt classifier. " +
            "Labelled files hold one 'message<TAB>category' per line; \\n, \\t, \\r and \\\\ are escapes inside a message.");
        root.Subcommands.Add(Verb("train", "train a model and save it", run: TrainCommand.Run,
            Text("--data", "labelled file to train on (required)"), Text("--out", "model file to write (required)"),
            Text("--trainer", "LbfgsMaximumEntropy or another PromptTrainerKind"), Flag("--no-encoder", "n-grams only, no sentence-encoder tier"),
            Text("--embedding-weight", "weight of the encoder's features (default 1)"),
            new Option<string[]>("--calibrate-on") { Description = "labelled files, never trained on, to fit the temperatures on (default: out-of-fold predictions of --data)", AllowMultipleArgumentsPerToken = true },
            Text("--embedding", "static (word-piece table distilled from the encoder; default) or transformer (the encoder run per prompt)"),
            new Option<string[]>("--conversations") { Description = "two-turn conversation files whose turns are trained on too (first turns and changes of topic as prompts, follow-ups as fragments)", AllowMultipleArgumentsPerToken = true },
            new Option<string[]>("--keep-out") { Description = "labelled files that measure the models: a conversation turn that nearly repeats one of their prompts is not trained on", AllowMultipleArgumentsPerToken = true }));
        root.Subcommands.Add(Verb("distill", "write the static embedding table from the encoder", run: DistillCommand.Run,
            Text("--out", "default classifier/Router.Classifier/Model/static-embeddings.bin.gz")));
        root.Subcommands.Add(Verb("evaluate", "held-out figures of a model", run: EvaluateCommand.Run,
            Text("--data", "labelled file to evaluate on (required)"), Text("--model", "model file (default: the shipped one)"),
            Text("--train", "train on this file instead of loading a model"), Flag("--misses", "list the misclassified prompts"),
            Flag("--no-encoder", "n-grams only"), Text("--escalate-below", "n-gram confidence below which the encoder tier answers")));
        root.Subcommands.Add(Verb("conversations", "how often follow-ups stay on their model and topic changes move", run: ConversationsCommand.Run,
            Text("--data", "two-turn conversations file (required)"), Text("--model", "model file (default: the shipped one)"),
            Flag("--no-encoder", "n-grams only"), Text("--switch", "a switch written by fit-switch (default: the shipped one)"),
            Text("--move-above", "change-of-topic probability at which a message moves (default: the switch's own)"),
            Flag("--misses", "list the wrong decisions"),
            Flag("--keep-openers", "read a message that announces a change of topic only as it is, not also without the announcement (the sixth round's reading)"),
            Text("--dump", "also write each conversation's classification and follow-up probability to this TSV file")));
        root.Subcommands.Add(Verb("fit-switch", "fit the conversation switch on dumps written by 'conversations --dump'", run: FitSwitchCommand.Run,
            new Option<string[]>("--dumps") { Description = "dump files, each read by a model not trained on its turns (required)", AllowMultipleArgumentsPerToken = true },
            Text("--out", "default classifier/Router.Classifier/Model/model.switch.json"), Text("--move-above", "default 0.6"),
            Text("--l2", "default 1")));
        root.Subcommands.Add(Verb("compare", "every trainer's held-out macro-F1", run: EvaluateCommand.Compare,
            Text("--train", "labelled training file (required)"), Text("--data", "labelled test file (required)"),
            Text("--trainer", "only this trainer")));
        root.Subcommands.Add(Verb("compare-features", "the n-gram tier's macro-F1 for a grid of n-gram lengths and L2 weights", run: EvaluateCommand.CompareFeaturizations,
            Text("--train", "labelled training file (required)"), Text("--data", "labelled validation file (required)")));
        root.Subcommands.Add(Verb("split", "split labelled files into training and held-out sets", run: SplitCommand.Run,
            new Option<string[]>("--data") { Description = "labelled files", AllowMultipleArgumentsPerToken = true },
            Text("--train-out", "default classifier/data/train.tsv"), Text("--holdout-out", "default classifier/data/holdout.tsv"),
            Number("--holdout-percent", "default 20")));
        root.Subcommands.Add(Verb("bench", "in-process classification latency", run: BenchCommand.Run,
            Text("--model", "model file (default: the shipped one)"), Number("--iterations", "default 20000"),
            Number("--threads", "default: the processor count"), Text("--data", "labelled file whose prompts are timed"),
            Flag("--no-encoder", "n-grams only"), Text("--escalate-below", "n-gram confidence below which the encoder tier answers")));

        var httpBench = Verb("http-bench", "latency of the classifier service over HTTP", run: null,
            Text("--url", "default http://localhost:8000/complete"), Number("--clients", "default 16"), Number("--requests", "default 20000"),
            Number("--size", "prompt size in bytes (default 2048)"), Number("--max-seconds", "default 120"));
        httpBench.SetAction((parse, _) => HttpBenchCommand.RunAsync(new CommandLine(parse)));
        root.Subcommands.Add(httpBench);
        return root;
    }

    private static Command Verb(string name, string description, Func<CommandLine, int>? run, params Option[] options)
    {
        var command = new Command(name, description);
        foreach (var option in options) command.Options.Add(option);
        if (run is not null) command.SetAction(parse => run(new CommandLine(parse)));
        return command;
    }

    private static Option<string> Text(string name, string description) => new(name) { Description = description };

    private static Option<int?> Number(string name, string description) => new(name) { Description = description };

    private static Option<bool> Flag(string name, string description) => new(name) { Description = description };
}
