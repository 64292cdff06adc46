using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace Router.WebFront.Tests.Auth;

/// <summary>
/// The router in Keys mode with the default throttle burst and almost no refill (one failed
/// authentication back per minute), so that what an address may cost is a fixed number. Each test
/// talks from a loopback address of its own (127.0.0.x), so their throttles do not meet.
/// The collection runs alone: it counts Orleans' storage reads, which the process shares. Its logs
/// are captured (<see cref="CapturedLog"/>), the admin audit's included; the failure log reports at
/// most once an hour, so the whole collection's failures make exactly one line.
/// </summary>
public sealed class AbuseRouterFixture : RouterFixture
{
    public const int Burst = 20;
    public const int AdminPerMinute = 5;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Auth:Mode"] = "Keys";
        settings["Auth:AdminKey"] = KeysRouterFixture.AdminKey;
        settings["Auth:FailedAuthBurst"] = Burst.ToString();
        settings["Auth:FailedAuthPerMinute"] = "1";
        settings["Auth:FailureLogInterval"] = "01:00:00";
        settings["Auth:AdminRequestsPerMinute"] = AdminPerMinute.ToString();
        settings["Serilog:MinimumLevel:Override:Router.WebFront.Auth.AdminAudit"] = "Information";
        CapturedLog.Enable(settings);
    }

    /// <summary>A client whose connections come from <paramref name="source"/> (any 127.0.0.0/8 address works on Linux).</summary>
    public HttpClient ClientFrom(string source, int connections = 8) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = Router.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Activations of key lookup grains, and of all grains, in the router's silo (the management grain's count).</summary>
    public async Task<(int Lookups, int All)> ActivationsAsync()
    {
        var management = Router.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var statistics = await management.GetSimpleGrainStatistics();
        return (statistics.Where(s => s.GrainType.Contains("ApiKeyLookupGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount),
            statistics.Sum(s => s.ActivationCount));
    }
}

/// <summary>Counts grain-state reads from any store, through Orleans' own <c>Microsoft.Orleans</c> meter.</summary>
public sealed class StorageReads : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _reads;

    public StorageReads()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.Orleans" && instrument.Name == "orleans-storage-read-latency") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _reads));
        _listener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _reads));
        _listener.SetMeasurementEventCallback<int>((_, _, _, _) => Interlocked.Increment(ref _reads));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _reads);

    public void Dispose() => _listener.Dispose();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AbuseRouterCollection : ICollectionFixture<AbuseRouterFixture>
{
    public const string Name = "router in Keys mode under guessing";
}
