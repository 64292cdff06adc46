using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Router.Classifier.Service.Hosting;

/// <summary>Healthy when the model answers a probe message.</summary>
internal sealed class ClassifierHealthCheck(IPromptCategoryModel model) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = model.Classify("health probe");
        return Task.FromResult(result.Scores.Count == PromptCategories.All.Count
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"model returned {result.Scores.Count} categories"));
    }
}
