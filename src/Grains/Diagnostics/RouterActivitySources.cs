using System.Diagnostics;
using Router.Grains.Generation;

namespace Router.Grains.Diagnostics;

/// <summary>
/// The router's trace sources. A request's trace is the web front's server span, Orleans' grain-call
/// spans (<c>Microsoft.Orleans.*</c>), the generation span below and the backend's GenAI and HTTP spans.
/// </summary>
public static class RouterActivitySources
{
    /// <summary>Every source of the router, as a wildcard for <c>AddSource</c>.</summary>
    public const string All = "Router.*";

    /// <summary>The generation run on a silo, from the first backend call to the terminal item.</summary>
    public const string Generation = "Router.Generation";

    /// <summary>The GenAI spans of the backends' chat client pipelines (<c>UseOpenTelemetry</c>).</summary>
    public const string Backend = "Router.Backend";

    private static readonly ActivitySource GenerationSource = new(Generation);

    /// <summary>
    /// Starts the span of a generation under <paramref name="parent"/>, the grain call that started it:
    /// the run goes on after that call returned, on the thread pool.
    /// </summary>
    internal static Activity? StartGeneration(CompletionJobSpec spec, ActivityContext parent)
    {
        var activity = GenerationSource.StartActivity("generate " + spec.Model, ActivityKind.Internal, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("router.request_id", spec.RequestId.ToString());
            activity.SetTag("router.model", spec.Model);
            activity.SetTag("router.category", spec.Category);
        }

        return activity;
    }

    /// <summary>Records how the generation ended: <c>done</c>, or its error code.</summary>
    internal static void SetOutcome(this Activity? activity, string outcome)
    {
        if (activity is null) return;
        activity.SetTag("router.outcome", outcome);
        if (outcome != "done") activity.SetStatus(ActivityStatusCode.Error, outcome);
    }
}
