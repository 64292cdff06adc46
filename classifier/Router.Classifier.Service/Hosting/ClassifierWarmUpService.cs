using System.Diagnostics;

namespace Router.Classifier.Service.Hosting;

/// <summary>
/// Loads or trains the model while the host starts, before Kestrel accepts requests, so the first
/// request is not the one that pays for training.
/// </summary>
internal sealed partial class ClassifierWarmUpService(IPromptCategoryModel model, ILogger<ClassifierWarmUpService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var result = model.Classify("hello");
        using var process = Process.GetCurrentProcess();
        LogReady(logger, (long)(DateTime.Now - process.StartTime).TotalMilliseconds, result.Scores.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Classifier ready {ElapsedMs} ms after process start ({CategoryCount} categories)")]
    private static partial void LogReady(ILogger logger, long elapsedMs, int categoryCount);
}
