using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using Router.Hosting;

namespace Router.Grains.Tests.Diagnostics;

/// <summary>Tracing is switched on by an exporter setting, and only then.</summary>
public sealed class RouterTracingTests
{
    [Theory]
    [InlineData(null, null, false)]
    [InlineData(null, "false", false)]
    [InlineData(null, "true", true)]
    [InlineData("http://127.0.0.1:4317", null, true)]
    public void A_tracer_provider_exists_only_when_spans_have_somewhere_to_go(string? otlpEndpoint, string? console, bool expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [RouterTracing.OtlpEndpointSetting] = otlpEndpoint,
            [RouterTracing.ConsoleSetting] = console,
        });
        builder.AddRouterTelemetry();

        using var host = builder.Build();

        Assert.Equal(expected, host.Services.GetService<TracerProvider>() is not null);
    }
}
