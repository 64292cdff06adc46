using Router.OllamaSimulator.Endpoints;

namespace Router.OllamaSimulator.Hosting;

/// <summary>The whole simulator wiring, shared by <c>Program</c> and <see cref="OllamaSimulator.StartAsync"/>.</summary>
public static class SimulatorApp
{
    public static WebApplication Build(string[] args, Action<SimulatorOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

        // The socket's write buffer at its least (a flush pauses at 2 bytes and resumes below 1): a flush
        // then returns only once the socket has taken every byte written, so what the journal counts as
        // sent is on the wire, and a cut (an abort, which drops bytes still buffered in the transport)
        // comes after the head and the tokens it follows, never before them.
        builder.WebHost.UseSockets(sockets => sockets.MaxWriteBufferSize = 2);

        // Per-request framework logs would dominate the cost under load; the simulator's own log is at Debug.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddOllamaSimulator(builder.Configuration, configure);

        var app = builder.Build();
        app.UseFailStatus();
        app.MapOllamaApi();
        app.MapOpenAIApi();
        app.MapSimulatorControl();
        app.MapSimulatorHolds();
        return app;
    }
}
