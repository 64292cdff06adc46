using Microsoft.Extensions.Hosting;
using Router.Grains.Hosting;
using Router.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddRouterDefaults();
builder.AddRouterSilo(silo => silo.AddRouter(builder.Configuration));
await builder.Build().RunAsync();
