using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace Router.Hosting;

/// <summary>
/// A silo sweeps, hourly, the stream pub-sub rows of its service that nobody wrote for a day
/// (streams whose silo died mid-stream, or whose producer never unregistered), as the Redis
/// store's entry expiry does; the rows would otherwise pile up.
/// </summary>
public sealed partial class PostgresPubSubSweeper(string connectionString, string serviceId, ILogger<PostgresPubSubSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);
    private static readonly TimeSpan Age = TimeSpan.FromDays(1);

    // How Orleans' ADO.NET storage names the stream pub-sub grain in OrleansStorage.GrainTypeString.
    private const string PubSubGrainType = "PubSubRendezvousGrain";

    /// <summary>Deletes the service's stream pub-sub rows last written more than <paramref name="age"/> ago; returns how many.</summary>
    public static async Task<int> SweepPubSubAsync(string connectionString, string serviceId, TimeSpan age, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "DELETE FROM OrleansStorage WHERE ServiceId = @serviceId AND GrainTypeString = @grainType AND ModifiedOn < now() - @age",
            connection);
        command.Parameters.AddWithValue("serviceId", serviceId);
        command.Parameters.AddWithValue("grainType", PubSubGrainType);
        command.Parameters.AddWithValue("age", age);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await SweepPubSubAsync(connectionString, serviceId, Age, stoppingToken);
                if (deleted > 0) Swept(logger, deleted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick tries again; the rows only cost space meanwhile.
                SweepFailed(logger, e);
            }
        }
    }

    [LoggerMessage(3002, LogLevel.Information, "Deleted {Rows} stream pub-sub rows older than a day from PostgreSQL")]
    private static partial void Swept(ILogger logger, int rows);

    [LoggerMessage(3003, LogLevel.Warning, "Sweeping old stream pub-sub rows from PostgreSQL failed")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}

/// <summary>Registers the <see cref="PostgresPubSubSweeper"/>.</summary>
public static class PostgresPubSubSweepExtensions
{
    public static IServiceCollection AddPostgresPubSubSweep(this IServiceCollection services, string connectionString) =>
        services.AddHostedService(sp => new PostgresPubSubSweeper(
            connectionString,
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            sp.GetRequiredService<ILogger<PostgresPubSubSweeper>>()));
}
