using Router.Classifier.Cli;

var commandLine = new CommandLine(args);
try
{
    return commandLine.Verb switch
    {
        "train" => TrainCommand.Run(commandLine),
        "evaluate" => EvaluateCommand.Run(commandLine),
        "compare" => EvaluateCommand.Compare(commandLine),
        "split" => SplitCommand.Run(commandLine),
        "bench" => BenchCommand.Run(commandLine),
        "http-bench" => await HttpBenchCommand.RunAsync(commandLine),
        _ => Usage(),
    };
}
catch (Exception ex) when (ex is ArgumentException or FormatException or FileNotFoundException)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

static int Usage()
{
    Console.WriteLine("""
        router-classifier <verb> [options]

          train      --data <file.tsv> --out <model.zip> [--trainer LbfgsMaximumEntropy|...] [--no-encoder] [--embedding-weight 1]
          evaluate   --data <file.tsv> [--model <model.zip> | --train <file.tsv>] [--misses] [--no-encoder] [--escalate-below 0.9]
          compare    --train <file.tsv> --data <file.tsv>            (every trainer, held-out macro-F1)
          split      --data <file.tsv>... [--train-out <file>] [--holdout-out <file>] [--holdout-percent 20]
          bench      [--model <model.zip>] [--iterations 20000] [--threads 2] [--data <file.tsv>] [--no-encoder] [--escalate-below 0.8]
          http-bench --url http://localhost:8000/complete [--clients 16] [--requests 20000]

        Labelled files hold one 'message<TAB>category' per line; \n, \t, \r and \\ are escapes inside a message.
        """);
    return 1;
}
