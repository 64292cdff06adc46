using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;
using Router.Grains.Interfaces;
using StackExchange.Redis;

namespace Router.Cluster.Tests.Infrastructure;

/// <summary>
/// An Orleans client of a test cluster, used only to look: membership (to time failure detection),
/// sessions (to check state survived) and where grains are placed.
/// </summary>
public sealed class ClusterObserver : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterObserver(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    public static async Task<ClusterObserver> ConnectAsync(string redis, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = clusterId;
            });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
            client.UseRedisClustering(o =>
            {
                o.ConfigurationOptions = ConfigurationOptions.Parse(redis);
                o.ConfigurationOptions.AbortOnConnectFail = false;
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new ClusterObserver(host);
    }

    public IManagementGrain Management => Client.GetGrain<IManagementGrain>(0);

    /// <summary>Silo statuses as membership has them now.</summary>
    public async Task<Dictionary<SiloAddress, SiloStatus>> HostsAsync() => await Management.GetHosts(onlyActive: false);

    public Task<UserSessionSnapshot> SessionAsync(string userId) => Client.GetGrain<IUserSessionGrain>(userId).GetSessionAsync().AsTask();

    /// <summary>How many session grains each silo holds.</summary>
    public async Task<Dictionary<SiloAddress, int>> SessionPlacementAsync()
    {
        var stats = await Management.GetSimpleGrainStatistics();
        return stats.Where(s => s.GrainType.Contains("UserSession", StringComparison.OrdinalIgnoreCase))
            .GroupBy(s => s.SiloAddress)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
        }

        _host.Dispose();
    }
}
