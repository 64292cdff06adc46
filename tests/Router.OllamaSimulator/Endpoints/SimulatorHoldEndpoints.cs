namespace Router.OllamaSimulator.Endpoints;

/// <summary>
/// Out-of-process control of <see cref="SimulatorHolds"/>: <c>POST /sim/release/{name}</c> lets answers held
/// under that name go on; <c>GET /sim/held/{name}?timeoutMs=N</c> answers 204 once one has reached the hold
/// (408 when none did in time).
/// </summary>
public static class SimulatorHoldEndpoints
{
    private const int DefaultWaitMs = 30_000;

    public static IEndpointRouteBuilder MapSimulatorHolds(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        endpoints.MapPost("/sim/release/{name}", (string name, SimulatorHolds holds) =>
        {
            holds.Release(name);
            return Results.NoContent();
        });
        endpoints.MapGet("/sim/held/{name}", async (string name, int? timeoutMs, SimulatorHolds holds, CancellationToken cancellationToken) =>
        {
            try
            {
                await holds.WaitUntilHeldAsync(name, TimeSpan.FromMilliseconds(timeoutMs ?? DefaultWaitMs), cancellationToken);
                return Results.NoContent();
            }
            catch (TimeoutException)
            {
                return Results.StatusCode(StatusCodes.Status408RequestTimeout);
            }
        });

        return endpoints;
    }
}
