using Microsoft.Extensions.Hosting;
using Router.Grains.Hosting;
using Router.Hosting;
using Router.Hosting.Management;

var builder = Host.CreateApplicationBuilder(args);
builder.AddRouterDefaults();
builder.AddRouterSiloMetricsEndpoint();
builder.AddRouterSilo(silo => silo.AddRouter(builder.Configuration));
await builder.Build().RunAsync();
