using System.Net;
using Router.Benchmarks.Relay;

// The floor of the lane benchmarks: Kestrel and one HttpClient relaying the backend's NDJSON as the
// router's SSE events, with nothing in between (no Orleans, no classifier, no sessions). Whatever the
// router adds over this relay is the cost of its own machinery.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var backend = new Uri(builder.Configuration["Relay:BackendUrl"] ?? "http://127.0.0.1:11434");
var model = builder.Configuration["Relay:Model"] ?? "llama3.2";

// One handler for all requests, as the router's backend client does: HTTP/1.1 connections kept and
// reused, no connection limit, so a burst does not queue behind a pool cap.
var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = int.MaxValue,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    UseProxy = false,
})
{
    BaseAddress = backend,
    Timeout = Timeout.InfiniteTimeSpan,
    DefaultRequestVersion = HttpVersion.Version11,
    DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
};

var app = builder.Build();
var relay = new ChatRelay(http, model);
app.MapGet("/health", () => Results.Text("ok"));
app.MapPost("/complete", relay.HandleAsync);
app.Run();
