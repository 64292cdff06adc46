using Router.OllamaSimulator.Wire;

namespace Router.OllamaSimulator.Endpoints;

/// <summary>Out-of-process access to the journal, for load tests that run the simulator as its own process.</summary>
public static class SimulatorControlEndpoints
{
    public static IEndpointRouteBuilder MapSimulatorControl(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        endpoints.MapGet("/sim/stats", (SimulatorJournal journal) => Results.Json(journal.Stats, SimulatorJsonContext.Default.SimulatorStats));
        endpoints.MapPost("/sim/reset", (SimulatorJournal journal) =>
        {
            journal.Reset();
            return Results.NoContent();
        });

        return endpoints;
    }
}
