using System.CommandLine;
using Router.Classifier.Cli;

try
{
    // Failures of a verb are reported below with exit code 2, not as the parser's stack trace.
    var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
    return await CommandLine.CreateRoot().Parse(args).InvokeAsync(invocation);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or FileNotFoundException)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}
