using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Grains.Generation;
using Router.Grains.Interfaces;

namespace Router.Grains.Hosting;

/// <summary>How a silo stops (configuration section <c>Silo</c>).</summary>
public sealed class SiloShutdownOptions
{
    public const string SectionName = "Silo";

    /// <summary>
    /// How long a stopping silo lets running generations finish before it ends the rest with a
    /// <c>silo_unavailable</c> error. The process then needs a few more seconds to leave the cluster.
    /// </summary>
    public TimeSpan DrainTime { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks <see cref="SiloShutdownOptions"/> at start-up.</summary>
public sealed class SiloShutdownOptionsValidator : IValidateOptions<SiloShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloShutdownOptions options) =>
        options.DrainTime < TimeSpan.Zero
            ? ValidateOptionsResult.Fail("Silo:DrainTime must not be negative.")
            : ValidateOptionsResult.Success;
}

/// <summary>Graceful stop of a silo's generations.</summary>
public static class SiloBuilderShutdownExtensions
{
    /// <summary>
    /// On stop (SIGTERM), before the silo stops its stream agents and leaves the cluster, running
    /// generations get <see cref="SiloShutdownOptions.DrainTime"/> to finish; each one still running
    /// then ends its stream with an error item, so no client is left waiting.
    /// </summary>
    public static ISiloBuilder AddGenerationDrain(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptionsWithValidateOnStart<SiloShutdownOptions>().Bind(configuration.GetSection(SiloShutdownOptions.SectionName));
        silo.Services.AddSingleton<IValidateOptions<SiloShutdownOptions>, SiloShutdownOptionsValidator>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, GenerationDrain>();

        // The host must wait for the drain and for Orleans' own shutdown after it.
        var drainTime = configuration.GetSection(SiloShutdownOptions.SectionName).Get<SiloShutdownOptions>()?.DrainTime ?? new SiloShutdownOptions().DrainTime;
        silo.Services.Configure<HostOptions>(o =>
        {
            var needed = drainTime + TimeSpan.FromSeconds(30);
            if (o.ShutdownTimeout < needed) o.ShutdownTimeout = needed;
        });
        return silo;
    }
}

/// <summary>Drains the <see cref="CompletionRunner"/> when the silo stops, while streams still flow.</summary>
internal sealed partial class GenerationDrain(
    CompletionRunner runner,
    ILocalSiloDetails silo,
    IOptions<SiloShutdownOptions> options,
    ILogger<GenerationDrain> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly CompletionError Reason = new(ErrorCodes.SiloUnavailable,
        "The router node running this answer shut down before it finished; please retry.");

    // Stages stop in reverse order: above Active, this runs before the stream agents and the gateway stop.
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(GenerationDrain), ServiceLifecycleStage.Active + 1, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        // Scripts and tests wait for this line: the silo is a member of the cluster and takes requests.
        SiloActive(logger, silo.SiloAddress.ToString(), silo.ClusterId);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        var running = runner.Running;
        DrainStarted(logger, running, options.Value.DrainTime.TotalSeconds);
        await runner.DrainAsync(options.Value.DrainTime, Reason, cancellationToken);
        DrainEnded(logger, running, runner.Running);
    }

    [LoggerMessage(1200, LogLevel.Information, "Silo active: {SiloAddress} in cluster {ClusterId}")]
    private static partial void SiloActive(ILogger logger, string siloAddress, string clusterId);

    [LoggerMessage(1201, LogLevel.Information, "Silo stopping: draining {Running} generations for up to {DrainSeconds} s")]
    private static partial void DrainStarted(ILogger logger, int running, double drainSeconds);

    [LoggerMessage(1202, LogLevel.Information, "Silo drain done: {Running} generations were running, {Left} left")]
    private static partial void DrainEnded(ILogger logger, int running, int left);
}
