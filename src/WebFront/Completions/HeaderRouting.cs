using Microsoft.AspNetCore.Routing.Matching;

namespace Router.WebFront.Completions;

/// <summary>
/// Marks an endpoint that answers its route only when the request carries <see cref="Header"/>,
/// ahead of an endpoint of the same route without the mark. Two APIs share a path this way and
/// each keeps its own endpoint: <c>GET /v1/models</c> is Anthropic's listing for a client that
/// sends <c>anthropic-version</c> (every Anthropic client does; the API requires it) and OpenAI's
/// for any other.
/// </summary>
public sealed record RequiresHeader(string Header);

/// <summary>Adds <see cref="RequiresHeader"/> to an endpoint.</summary>
public static class HeaderRoutingExtensions
{
    public static TBuilder WhenHeader<TBuilder>(this TBuilder builder, string header) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiresHeader(header));
}

/// <summary>Chooses between endpoints of one route by <see cref="RequiresHeader"/>.</summary>
internal sealed class HeaderMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // Before the HTTP method policy's 405 decision, so a marked endpoint is judged with the others.
    public override int Order => -100;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<RequiresHeader>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var marked = false;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i) || candidates[i].Endpoint.Metadata.GetMetadata<RequiresHeader>() is not { } requires) continue;
            if (httpContext.Request.Headers.ContainsKey(requires.Header)) marked = true;
            else candidates.SetValidity(i, false);
        }

        if (!marked) return Task.CompletedTask;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && candidates[i].Endpoint.Metadata.GetMetadata<RequiresHeader>() is null) candidates.SetValidity(i, false);
        }

        return Task.CompletedTask;
    }
}
