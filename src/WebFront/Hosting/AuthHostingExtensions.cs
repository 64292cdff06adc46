using Microsoft.Extensions.Options;
using Router.WebFront.Auth;
using Router.WebFront.Diagnostics;

namespace Router.WebFront.Hosting;

/// <summary>Authentication (<c>Auth:Mode</c>), key limits and the admin key, validated at start-up.</summary>
public static class AuthHostingExtensions
{
    public static IServiceCollection AddRouterAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName));
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>>(new OpenModeExposureValidator(configuration));
        services.AddSingleton<AuthFailures>();
        services.AddSingleton<AdminAudit>();
        services.AddSingleton<UnknownKeyCache>();
        services.AddSingleton<RequestIdentity>();
        services.AddSingleton<KeyLeases>();
        services.AddHostedService<AuthModeReport>();
        return services;
    }

    /// <summary>Says once, at start, who this router trusts.</summary>
    private sealed class AuthModeReport(IOptions<AuthOptions> options, ILogger<RequestIdentity> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (options.Value.Mode == AuthMode.Keys) AuthLog.KeysMode(logger);
            else AuthLog.OpenMode(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
