using Microsoft.Extensions.Hosting;
using Router.Grains.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddRouterLogging(builder.Configuration);
builder.UseOrleans(silo => silo.UseRouterClustering(builder.Configuration).AddRouter(builder.Configuration));
await builder.Build().RunAsync();
