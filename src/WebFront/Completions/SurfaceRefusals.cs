namespace Router.WebFront.Completions;

/// <summary>
/// Writes a refusal made before any endpoint runs (a middleware's: host, origin, the stream
/// ceiling) in the error shape of the surface the request was routed to (its endpoint's
/// <see cref="ISurfaceRefusals"/>), or as an RFC 7807 problem where no surface claims it.
/// </summary>
public static class SurfaceRefusals
{
    public static Task WriteAsync(HttpContext context, RequestProblem problem) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ISurfaceRefusals>() is { } surface
            ? surface.WriteAsync(context, problem)
            : problem.ToResult().ExecuteAsync(context);

    /// <summary>Marks <paramref name="builder"/>'s endpoints as answering refusals in <paramref name="errors"/>' shape.</summary>
    public static TBuilder WithSurfaceErrors<TBuilder>(this TBuilder builder, ISurfaceRefusals errors) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(errors);
}
