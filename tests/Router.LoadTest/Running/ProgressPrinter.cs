using System.Globalization;

namespace Router.LoadTest.Running;

/// <summary>The live line, once per second: rewritten in place on a terminal, one line each otherwise (CI logs).</summary>
internal sealed class ProgressPrinter(string target, TextWriter output, bool quiet)
{
    private readonly bool _inPlace = !Console.IsErrorRedirected && ReferenceEquals(output, Console.Error);
    private bool _printed;

    public void Print(SeriesPoint p)
    {
        if (quiet)
        {
            return;
        }

        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"[{target} {p.T,6:0.0}s] active {p.Active,5}  done {p.Completed,7}  err {p.Errors,5}  ttft p50 {Ms(p.TtftP50)} p99 {Ms(p.TtftP99)}  {p.ChunksPerSecond,8:0} tok/s  {p.RequestsPerSecond,7:0.0} req/s");
        if (_inPlace)
        {
            output.Write("\r" + line + "\u001b[K");
        }
        else
        {
            output.WriteLine(line);
        }

        _printed = true;
    }

    public void Finish()
    {
        if (_inPlace && _printed)
        {
            output.WriteLine();
        }
    }

    private static string Ms(double? v) => v is { } x ? string.Create(CultureInfo.InvariantCulture, $"{x,7:0.0}ms") : "      -  ";
}
