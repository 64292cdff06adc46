using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.LoadTest.Reporting;

/// <summary>The <c>--out</c> file: one run, or both runs and the comparison for <c>overhead</c>.</summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static async Task WriteAsync(string path, IReadOnlyList<RunSummary> runs, OverheadComparison? overhead)
    {
        var document = new Dictionary<string, object?>
        {
            ["tool"] = "Router.LoadTest",
            ["written_at"] = DateTimeOffset.UtcNow,
            ["runs"] = runs,
            ["overhead"] = overhead?.Rows,
        };
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, document, Options).ConfigureAwait(false);
    }
}
