using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Router.WebFront.Tests.Deploy;

/// <summary>The repository's compose, Prometheus and Grafana files, read as the tools read them.</summary>
internal static class DeployFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static YamlMappingNode Yaml(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(PathOf(relative));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static JsonElement Json(string relative)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf(relative)));
        return document.RootElement.Clone();
    }

    public static YamlNode? Child(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode Map(this YamlMappingNode node, string key) =>
        node.Child(key) as YamlMappingNode ?? throw new InvalidOperationException($"'{key}' is not a mapping");

    public static IEnumerable<YamlNode> Seq(this YamlMappingNode node, string key) =>
        node.Child(key) is YamlSequenceNode sequence ? sequence.Children : [];

    public static string? Scalar(this YamlMappingNode node, string key) => (node.Child(key) as YamlScalarNode)?.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Router.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Router.sln not found above the test binaries");
    }
}
