using System.Text;

namespace Router.Cluster.Tests.Infrastructure;

/// <summary>
/// The figures a reliability run measured, printed to the test output and appended to
/// <c>$ROUTER_RELIABILITY_DIR/figures.md</c> (default: this run's own folder, <see cref="TestRunDirectory"/>) for docs/RELIABILITY.md.
/// </summary>
public sealed class Figures(string title, ITestOutputHelper output)
{
    private readonly StringBuilder _text = new();

    public void Add(string name, object value)
    {
        var line = $"- {name}: {value}";
        _text.AppendLine(line);
        output.WriteLine(line);
    }

    public void Save()
    {
        var dir = Environment.GetEnvironmentVariable("ROUTER_RELIABILITY_DIR") is { Length: > 0 } d ? d : TestRunDirectory.Path;
        Directory.CreateDirectory(dir);
        File.AppendAllText(Path.Combine(dir, "figures.md"), $"### {title} ({DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z)\n{_text}\n");
        Console.WriteLine($"[{title}]\n{_text}");
    }
}
