using Microsoft.Extensions.Options;
using Router.WebFront.RequestLog;
using Router.WebFront.Spend;

namespace Router.WebFront.Hosting;

/// <summary>Prices (<c>Pricing</c>), the request log (<c>RequestLog</c>) and the usage API, validated at start-up.</summary>
public static class SpendHostingExtensions
{
    public static IServiceCollection AddRouterSpend(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddOptionsWithValidateOnStart<PricingOptions>().Bind(configuration.GetSection(PricingOptions.SectionName));
        services.AddSingleton<IValidateOptions<PricingOptions>, PricingOptionsValidator>();
        services.AddSingleton<PriceList>();
        services.AddSingleton<SpendInstruments>();
        services.AddSingleton<RequestAccounting>();

        services.AddOptionsWithValidateOnStart<RequestLogOptions>()
            .Bind(configuration.GetSection(RequestLogOptions.SectionName))
            .PostConfigure<IHostEnvironment>((options, environment) => Resolve(options, configuration, environment));
        services.AddSingleton<IValidateOptions<RequestLogOptions>, RequestLogOptionsValidator>();
        if (configuration.GetValue($"{RequestLogOptions.SectionName}:{nameof(RequestLogOptions.Enabled)}", true))
        {
            services.AddSingleton<RequestLogStore>(sp => CreateStore(sp.GetRequiredService<IOptions<RequestLogOptions>>().Value));
            services.AddSingleton<RequestLogWriter>();
            services.AddHostedService(sp => sp.GetRequiredService<RequestLogWriter>());
        }

        return services;
    }

    /// <summary>
    /// An unset provider follows the cluster: PostgreSQL membership puts the log in PostgreSQL (one
    /// log for every web front), anything else in this web front's SQLite file.
    /// </summary>
    private static void Resolve(RequestLogOptions options, IConfiguration configuration, IHostEnvironment environment)
    {
        if (options.Provider == RequestLogProvider.Auto)
        {
            options.Provider = string.Equals(configuration["Orleans:Clustering:Provider"], "AdoNet", StringComparison.OrdinalIgnoreCase)
                ? RequestLogProvider.Postgres
                : RequestLogProvider.Sqlite;
        }

        if (options.Provider == RequestLogProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            options.ConnectionString = configuration["Orleans:Storage:ConnectionString"] is { Length: > 0 } storage
                ? storage
                : configuration["Orleans:Clustering:ConnectionString"];
        }

        if (!string.IsNullOrWhiteSpace(options.Path) && !Path.IsPathRooted(options.Path))
        {
            options.Path = Path.Combine(environment.ContentRootPath, options.Path);
        }
    }

    private static RequestLogStore CreateStore(RequestLogOptions options) => options.Provider == RequestLogProvider.Postgres
        ? new PostgresRequestLogStore(options.ConnectionString!, options.CommandTimeout)
        : new SqliteRequestLogStore(options.Path, options.CommandTimeout);
}
