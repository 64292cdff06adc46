namespace Router.Cluster.Tests.Infrastructure;

/// <summary>Where the repository and the built router assemblies are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The built silo host (<c>src/Silo</c>).</summary>
    public static string SiloDll => Built("src/Silo", "Router.Silo.dll");

    /// <summary>The built web front (<c>src/WebFront</c>).</summary>
    public static string WebFrontDll => Built("src/WebFront", "Router.WebFront.dll");

    public static string Script(string name) => Path.Combine(Root, "scripts", name);

    /// <summary>
    /// The newest build of a project's assembly: Release or Debug (or only the configuration named by
    /// <c>ROUTER_CLUSTER_CONFIGURATION</c>), so the tests run whatever the last build produced.
    /// </summary>
    private static string Built(string project, string assembly)
    {
        var configurations = Environment.GetEnvironmentVariable("ROUTER_CLUSTER_CONFIGURATION") is { Length: > 0 } only
            ? new[] { only }
            : ["Release", "Debug"];
        var candidates = configurations
            .Select(c => Path.Combine(Root, project, "bin", c, "net10.0", assembly))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .ToList();
        return candidates.FirstOrDefault()
            ?? throw new FileNotFoundException($"{assembly} is not built; run 'dotnet build {project}' (or build the solution) first.");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Router.sln"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("Router.sln not found above " + AppContext.BaseDirectory);
    }
}
