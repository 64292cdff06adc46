namespace Router.WebFront.Tests.Hosting;

/// <summary>
/// The router (Open mode, loopback) with one web origin allowed and room for a single stream, so
/// one slow answer fills the web front.
/// </summary>
public sealed class GuardedRouterFixture : RouterFixture
{
    public const string AllowedOrigin = "https://app.example";

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Cors:AllowedOrigins:0"] = AllowedOrigin;
        settings["WebFront:MaxConcurrentStreams"] = "1";
    }
}

[CollectionDefinition(Name)]
public sealed class GuardedRouterCollection : ICollectionFixture<GuardedRouterFixture>
{
    public const string Name = "router with request guards";
}
