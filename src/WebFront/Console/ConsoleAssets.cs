using System.Collections.Frozen;
using System.Reflection;

namespace Router.WebFront.Console;

/// <summary>
/// The console's pages, scripts and styles, embedded in the web front's assembly (no build step, no
/// CDN: a router with no internet serves the whole console). Read once at start.
/// </summary>
public sealed class ConsoleAssets
{
    private const string ResourcePrefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, (byte[] Body, string ContentType)> _files;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        _files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[ResourcePrefix.Length..], n => (Read(assembly, n), ContentTypes.GetValueOrDefault(Path.GetExtension(n), "application/octet-stream")));
    }

    public IEnumerable<string> Names => _files.Keys;

    public bool TryGet(string name, out byte[] body, out string contentType)
    {
        var found = _files.TryGetValue(name, out var file);
        (body, contentType) = found ? file : ([], "");
        return found;
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
