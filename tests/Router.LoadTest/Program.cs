using Router.LoadTest;
using Router.LoadTest.Options;

try
{
    if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
    {
        Console.Out.WriteLine(ArgParser.Usage);
        return args.Length == 0 ? 2 : 0;
    }

    var options = ArgParser.Parse(args);
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
