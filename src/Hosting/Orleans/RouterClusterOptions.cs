using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Router.Hosting;

/// <summary>
/// How a process joins the router's cluster (configuration section <c>Orleans</c>), in the names the
/// router documents: the membership and grain-state providers, the cluster identity and the
/// endpoints. Silos and cluster clients read the same names, so one set of environment variables
/// configures a whole deployment. <see cref="OrleansProviderKeys"/> turns them into the keys
/// Orleans' own configuration-driven providers read.
/// </summary>
public sealed class RouterClusterOptions
{
    public const string SectionName = "Orleans";

    /// <summary>Membership: <c>Orleans:Clustering:Provider</c> and <c>Orleans:Clustering:ConnectionString</c>.</summary>
    public ProviderSettings Clustering { get; set; } = new() { Provider = ClusteringProviders.Localhost };

    /// <summary>
    /// Grain state (sessions and the stream pub-sub store): <c>Orleans:Storage:Provider</c>; its
    /// <c>ConnectionString</c> defaults to the clustering one.
    /// </summary>
    public ProviderSettings Storage { get; set; } = new() { Provider = StorageProviders.Memory };

    public string ClusterId { get; set; } = "dev";

    public string ServiceId { get; set; } = "router";

    public int SiloPort { get; set; } = EndpointOptions.DEFAULT_SILO_PORT;

    public int GatewayPort { get; set; } = EndpointOptions.DEFAULT_GATEWAY_PORT;

    /// <summary>
    /// The address other silos and clients use to reach this silo: an IP address or a host name
    /// (a container's own name, for instance). Unset: 127.0.0.1. Ignored by localhost clustering.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Failure detection between silos; the defaults declare a killed silo dead within seconds.</summary>
    public MembershipSettings Membership { get; set; } = new();

    /// <summary>The storage connection string, falling back to the clustering one.</summary>
    public string? StorageConnectionString =>
        string.IsNullOrWhiteSpace(Storage.ConnectionString) ? Clustering.ConnectionString : Storage.ConnectionString;

    /// <summary>Reads and validates the section; a bad value fails here with a message naming the setting.</summary>
    public static RouterClusterOptions From(IConfiguration configuration)
    {
        var options = new RouterClusterOptions();
        configuration.GetSection(SectionName).Bind(options);
        var result = new RouterClusterOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(SectionName, typeof(RouterClusterOptions), result.Failures);
        }

        return options;
    }

    /// <summary>Whether <c>Orleans:Clustering:Provider</c> names <paramref name="provider"/> (any case).</summary>
    public bool UsesClustering(string provider) => Clustering.Provider.Equals(provider, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <c>Orleans:Storage:Provider</c> names <paramref name="provider"/> (any case).</summary>
    public bool UsesStorage(string provider) => Storage.Provider.Equals(provider, StringComparison.OrdinalIgnoreCase);

    /// <summary>The advertised IP address: <see cref="AdvertisedAddress"/> resolved, or loopback.</summary>
    public IPAddress ResolveAdvertisedAddress()
    {
        if (string.IsNullOrWhiteSpace(AdvertisedAddress)) return IPAddress.Loopback;
        if (IPAddress.TryParse(AdvertisedAddress, out var address)) return address;
        return Dns.GetHostAddresses(AdvertisedAddress)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException($"Orleans:AdvertisedAddress '{AdvertisedAddress}' has no IPv4 address.");
    }

    public sealed class ProviderSettings
    {
        public string Provider { get; set; } = "";

        public string? ConnectionString { get; set; }
    }

    public sealed class MembershipSettings
    {
        /// <summary>How often silos probe each other, and how long a probe may take.</summary>
        public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>Missed probes before a silo suspects another one.</summary>
        public int NumMissedProbesLimit { get; set; } = 2;
    }
}

/// <summary>The values of <c>Orleans:Clustering:Provider</c>.</summary>
public static class ClusteringProviders
{
    public const string Localhost = "Localhost";
    public const string Redis = "Redis";
    public const string AdoNet = "AdoNet";

    public static readonly string[] All = [Localhost, Redis, AdoNet];
}

/// <summary>The values of <c>Orleans:Storage:Provider</c>.</summary>
public static class StorageProviders
{
    public const string Memory = "Memory";
    public const string Redis = "Redis";
    public const string AdoNet = "AdoNet";

    public static readonly string[] All = [Memory, Redis, AdoNet];
}

/// <summary>Checks <see cref="RouterClusterOptions"/>; every message names the setting to fix.</summary>
public sealed class RouterClusterOptionsValidator : IValidateOptions<RouterClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, RouterClusterOptions options)
    {
        var failures = new List<string>();
        var clustering = options.Clustering.Provider;
        if (!ClusteringProviders.All.Contains(clustering, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"Orleans:Clustering:Provider '{clustering}' is not one of {string.Join(", ", ClusteringProviders.All)}.");
        }
        else if (!Is(clustering, ClusteringProviders.Localhost) && string.IsNullOrWhiteSpace(options.Clustering.ConnectionString))
        {
            failures.Add($"Orleans:Clustering:ConnectionString is required when Orleans:Clustering:Provider is '{clustering}'.");
        }

        var storage = options.Storage.Provider;
        if (!StorageProviders.All.Contains(storage, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"Orleans:Storage:Provider '{storage}' is not one of {string.Join(", ", StorageProviders.All)}.");
        }
        else if (!Is(storage, StorageProviders.Memory) && string.IsNullOrWhiteSpace(options.StorageConnectionString))
        {
            failures.Add($"Orleans:Storage:ConnectionString (or Orleans:Clustering:ConnectionString) is required when Orleans:Storage:Provider is '{storage}'.");
        }

        // AdoNet means PostgreSQL (Npgsql): a connection string of another kind fails here, not on first use.
        if (options.UsesClustering(ClusteringProviders.AdoNet))
        {
            CheckPostgres("Orleans:Clustering:ConnectionString", options.Clustering.ConnectionString, failures);
        }

        if (options.UsesStorage(StorageProviders.AdoNet))
        {
            var setting = string.IsNullOrWhiteSpace(options.Storage.ConnectionString) ? "Orleans:Clustering:ConnectionString" : "Orleans:Storage:ConnectionString";
            CheckPostgres(setting, options.StorageConnectionString, failures);
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId)) failures.Add("Orleans:ClusterId must not be empty.");
        if (string.IsNullOrWhiteSpace(options.ServiceId)) failures.Add("Orleans:ServiceId must not be empty.");
        if (options.SiloPort is < 1 or > 65535) failures.Add("Orleans:SiloPort must be a TCP port (1-65535).");
        if (options.GatewayPort is < 1 or > 65535) failures.Add("Orleans:GatewayPort must be a TCP port (1-65535).");
        if (options.SiloPort == options.GatewayPort) failures.Add("Orleans:SiloPort and Orleans:GatewayPort must differ.");
        if (options.Membership.ProbeTimeout <= TimeSpan.Zero) failures.Add("Orleans:Membership:ProbeTimeout must be positive.");
        if (options.Membership.NumMissedProbesLimit < 1) failures.Add("Orleans:Membership:NumMissedProbesLimit must be at least 1.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool Is(string value, string provider) => value.Equals(provider, StringComparison.OrdinalIgnoreCase);

    private static void CheckPostgres(string setting, string? connectionString, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return; // reported above as missing
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                failures.Add($"{setting} must name a PostgreSQL Host (e.g. Host=127.0.0.1;Port=5432;Username=router;Password=...;Database=router) when the provider is 'AdoNet'.");
            }
        }
        catch (ArgumentException e)
        {
            // The message names the offending keyword, never a value, so no password leaks into logs.
            failures.Add($"{setting} is not a PostgreSQL (Npgsql) connection string, as 'AdoNet' needs: {e.Message}");
        }
    }
}
