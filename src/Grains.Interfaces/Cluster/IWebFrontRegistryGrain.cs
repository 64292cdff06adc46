namespace Router.Grains.Interfaces.Cluster;

/// <summary>
/// The web fronts of the cluster, as they last reported themselves (web fronts are clients of the
/// cluster, so membership does not know them). Each web front reports every few seconds; one that
/// stops reporting drops out after <see cref="WebFrontReport.StaleAfter"/>. In memory only: after a
/// move or restart of this grain the list fills again within one report period. Key: 0.
/// </summary>
public interface IWebFrontRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Records <paramref name="report"/> as its web front's latest.</summary>
    ValueTask ReportAsync(WebFrontReport report, CancellationToken cancellationToken = default);

    /// <summary>The web fronts that reported within <see cref="WebFrontReport.StaleAfter"/>, by name.</summary>
    ValueTask<IReadOnlyList<WebFrontReport>> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>A web front's report of itself.</summary>
/// <param name="Name">The web front's host name (unique per process: the name and the process id).</param>
/// <param name="Draining">True once it refuses new requests (it is shutting down).</param>
/// <param name="OpenStreams">Answer streams open on it.</param>
/// <param name="Lanes">Its lanes: the streams its answers arrive on.</param>
/// <param name="ReportedAt">When it made this report.</param>
[GenerateSerializer, Immutable, Alias("router.web-front-report.v1")]
public sealed record WebFrontReport(
    [property: Id(0)] string Name,
    [property: Id(1)] bool Draining,
    [property: Id(2)] int OpenStreams,
    [property: Id(3)] int Lanes,
    [property: Id(4)] DateTimeOffset ReportedAt)
{
    /// <summary>How often a web front reports.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    /// <summary>A web front silent this long is left out of the list.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(20);
}
