using System.Globalization;

namespace Router.LoadTest.Options;

/// <summary>Parses and prints durations written as <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c> or bare seconds.</summary>
internal static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var s = text.Trim().ToLowerInvariant();
        (string number, double scale) = s switch
        {
            _ when s.EndsWith("ms", StringComparison.Ordinal) => (s[..^2], 0.001),
            _ when s.EndsWith('s') => (s[..^1], 1.0),
            _ when s.EndsWith('m') => (s[..^1], 60.0),
            _ when s.EndsWith('h') => (s[..^1], 3600.0),
            _ => (s, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0 || double.IsInfinity(n))
        {
            return false;
        }

        value = TimeSpan.FromSeconds(n * scale);
        return true;
    }

    public static string Format(TimeSpan t) => t.TotalSeconds switch
    {
        < 1 when t > TimeSpan.Zero => $"{t.TotalMilliseconds:0}ms",
        _ when t.TotalSeconds % 60 == 0 && t.TotalSeconds >= 60 => $"{t.TotalMinutes:0}m",
        _ => $"{t.TotalSeconds:0.###}s",
    };
}
