using Router.LoadTest.Bursts;
using Router.LoadTest.Clients;
using Router.LoadTest.Options;
using Router.LoadTest.Reporting;
using Router.LoadTest.Running;
using Router.LoadTest.Workload;

namespace Router.LoadTest;

/// <summary>Runs the verb: one run (router or direct) or both back to back (overhead), then reports.</summary>
internal static class LoadTestCommand
{
    public static async Task<int> RunAsync(LoadTestOptions options, CancellationToken abort)
    {
        if (options.Verb == Verb.Burst)
        {
            return await BurstCommand.RunAsync(options, abort);
        }

        if (options.Verb == Verb.Tokens)
        {
            return await TokenCost.TokenCostCommand.RunAsync(options, abort);
        }

        var plan = RequestPlan.Create(options);
        using var http = StreamClient.CreateHttpClient();
        var runs = new List<RunSummary>();

        if (options.Verb is Verb.Direct or Verb.Overhead)
        {
            runs.Add(await RunOneAsync(new DirectClient(http, plan, options.OllamaUrl), plan, options, abort));
        }

        if (options.Verb == Verb.Overhead && !abort.IsCancellationRequested && options.Settle > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(options.Settle, abort);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (options.Verb is Verb.Router or Verb.Overhead && !abort.IsCancellationRequested)
        {
            runs.Add(await RunOneAsync(new RouterClient(http, plan, options.RouterUrl), plan, options, abort));
        }

        OverheadComparison? overhead = null;
        if (options.Verb == Verb.Overhead && runs.Count == 2)
        {
            overhead = OverheadComparison.From(runs[0], runs[1]);
            Console.Out.WriteLine(ConsoleReport.Format(overhead));
            var otherModels = runs[1].Models.Keys.Where(m => m != options.Model).ToArray();
            if (otherModels.Length > 0)
            {
                Console.Out.WriteLine($"note: the router answered some requests with {string.Join(", ", otherModels)}, not {options.Model}; those are not streamed from the backend, so the comparison is skewed. Use prompts the classifier sends to {options.Model}.");
            }
        }

        if (options.OutFile is { } outFile)
        {
            await JsonReport.WriteAsync(outFile, runs, overhead);
            Console.Error.WriteLine($"results written to {Path.GetFullPath(outFile)}");
        }

        if (options.HtmlFile is { } htmlFile)
        {
            await File.WriteAllTextAsync(htmlFile, HtmlReport.Render(runs, overhead), abort.IsCancellationRequested ? CancellationToken.None : default);
            Console.Error.WriteLine($"report written to {Path.GetFullPath(htmlFile)}");
        }

        if (options.FailOnError)
        {
            var failed = runs.Count == 0 || runs.Any(r => r.Errors > 0 || r.Done == 0 || r.Interrupted);
            if (failed)
            {
                Console.Error.WriteLine("FAILED: not every request ended with done (--fail-on-error)");
                return 1;
            }
        }

        return 0;
    }

    private static async Task<RunSummary> RunOneAsync(StreamClient client, RequestPlan plan, LoadTestOptions options, CancellationToken abort)
    {
        Console.Error.WriteLine($"{client.Name}: {client.Endpoint} — {options.DescribeLoad()}, {plan.Prompts.Count} prompts");
        var result = await new LoadRunner(client, plan, options, Console.Error).RunAsync(abort);
        var summary = RunSummary.From(result);
        Console.Out.WriteLine(ConsoleReport.Format(summary));
        return summary;
    }
}
