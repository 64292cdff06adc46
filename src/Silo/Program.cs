using Microsoft.Extensions.Hosting;
using Router.Grains.Diagnostics;
using Router.Grains.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddRouterLogging(builder.Configuration);
builder.Services.AddRouterTracing(builder.Configuration, "router-silo");
// AddOrleans, not UseOrleans: the router reads the Orleans section itself; Orleans' own reading
// would take Orleans:Clustering for its provider-type scheme.
builder.Services.AddOrleans(silo => silo.UseRouterClustering(builder.Configuration).AddRouter(builder.Configuration));
await builder.Build().RunAsync();
