namespace Router.WebFront.Completions;

/// <summary>The <c>POST /complete</c> endpoint.</summary>
public static class CompleteEndpoints
{
    public static IEndpointRouteBuilder MapComplete(this IEndpointRouteBuilder app)
    {
        app.MapPost("/complete", (HttpContext context, CompletionRelay relay) => relay.HandleAsync(context))
            .WithName("Complete")
            .WithSummary("Routes a prompt to the best model and streams the answer as Server-Sent Events.");
        return app;
    }
}
