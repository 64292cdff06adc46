using System.CommandLine;
using Router.LoadTest;
using Router.LoadTest.Options;

var parse = LoadTestCommandLine.Root.Parse(args);
try
{
    if (args.Length == 0)
    {
        LoadTestCommandLine.Root.Parse("--help").Invoke();
        return 2;
    }

    if (parse.Errors.Count > 0)
    {
        foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
        Console.Error.WriteLine("run with --help for the options");
        return 2;
    }

    // --help (and --version) have actions of their own; a verb has none and runs below.
    if (parse.Action is not null)
    {
        return parse.Invoke();
    }

    var options = LoadTestCommandLine.Bind(parse);
    using var abort = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        // First Ctrl+C stops the run and still reports what was measured; a second one kills the process.
        if (!abort.IsCancellationRequested)
        {
            e.Cancel = true;
            abort.Cancel();
        }
    };

    return await LoadTestCommand.RunAsync(options, abort.Token);
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine("run with --help for the options");
    return 2;
}
