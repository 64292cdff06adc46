using Microsoft.AspNetCore.Hosting;
using Router.Classifier.Service.Diagnostics;
using Router.Classifier.Service.Endpoints;
using Serilog;

namespace Router.Classifier.Service.Hosting;

/// <summary>Composition of the classifier service, shared by <c>Program</c> and the tests.</summary>
public static class ClassifierServiceApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(ClassifierServiceOptions.DefaultUrl);
        }

        var serviceOptions = builder.Configuration.GetSection(ClassifierServiceOptions.SectionName).Get<ClassifierServiceOptions>()
            ?? new ClassifierServiceOptions();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = serviceOptions.MaxRequestBodyBytes);

        builder.Services.AddSerilog((services, logger) => logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .WriteTo.Console());
        builder.Services.AddProblemDetails();
        builder.Services.AddPromptCategoryModel(builder.Configuration.GetSection(ClassifierModelOptions.SectionName));
        builder.Services.AddSingleton<ClassifierInstruments>();
        builder.Services.AddHostedService<ClassifierWarmUpService>();
        builder.Services.AddHealthChecks().AddCheck<ClassifierHealthCheck>("classifier");
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ClassifierJsonContext.Default));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapCompletionEndpoints();
        app.MapHealthChecks("/health");
        return app;
    }
}
