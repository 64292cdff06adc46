using Microsoft.AspNetCore.WebUtilities;

namespace Router.WebFront.Hosting;

/// <summary>
/// Every error the web front answers itself is an RFC 7807 problem with a <c>code</c>: the relay's
/// refusals, unhandled exceptions (<see cref="ProblemExceptionHandler"/>) and the framework's own
/// bodiless ones (404 for an unknown path, 405 for a wrong method).
/// </summary>
public static class ProblemResponseExtensions
{
    public static IServiceCollection AddRouterProblemResponses(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Clients switch on the code, so a problem the router did not word itself still gets one.
            var extensions = context.ProblemDetails.Extensions;
            if (!extensions.ContainsKey("code"))
            {
                var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
                extensions["code"] = CodeFor(status);
                context.ProblemDetails.Detail ??= ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } reason ? reason + "." : null;
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }

    public static IApplicationBuilder UseRouterProblemResponses(this IApplicationBuilder app) => app.UseExceptionHandler().UseStatusCodePages();

    private static string CodeFor(int status) => status switch
    {
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        >= 500 => "internal_error",
        _ => $"http_{status}",
    };
}
