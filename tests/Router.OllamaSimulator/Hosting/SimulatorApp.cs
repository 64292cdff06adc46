using Router.OllamaSimulator.Endpoints;

namespace Router.OllamaSimulator.Hosting;

/// <summary>The whole simulator wiring, shared by <c>Program</c> and <see cref="OllamaSimulator.StartAsync"/>.</summary>
public static class SimulatorApp
{
    public static WebApplication Build(string[] args, Action<SimulatorOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

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
