namespace Router.Cluster.Tests.Infrastructure;

/// <summary>
/// A folder of this test run's own under the temp directory (<c>router-cluster-tests-XXXXXX</c>), for the
/// processes' logs and the figures: two runs on one machine never write into each other's files. It is
/// kept after the run, so the logs named in a failure message can still be read.
/// </summary>
public static class TestRunDirectory
{
    private static readonly Lazy<string> Folder = new(() => Directory.CreateTempSubdirectory("router-cluster-tests-").FullName);

    public static string Path => Folder.Value;
}
