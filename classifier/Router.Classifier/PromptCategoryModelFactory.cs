using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML;
using Router.Classifier.Data;
using Router.Classifier.Training;

namespace Router.Classifier;

/// <summary>Creates the model the options ask for: load a saved model, train on a given file, or train on the shipped data.</summary>
public static partial class PromptCategoryModelFactory
{
    public static PromptCategoryModel Create(ClassifierModelOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var ml = new MLContext(seed: PromptModelTrainer.Seed);
        var stopwatch = Stopwatch.StartNew();
        ITransformer model;
        string source;
        if (!string.IsNullOrWhiteSpace(options.TrainingDataPath))
        {
            var prompts = LabelledPromptFile.Read(options.TrainingDataPath);
            model = PromptModelTrainer.Train(ml, prompts);
            source = options.TrainingDataPath;
            if (!string.IsNullOrWhiteSpace(options.ModelPath))
            {
                PromptModelTrainer.Save(ml, model, options.ModelPath);
            }

            LogTrained(logger, prompts.Count, source, stopwatch.ElapsedMilliseconds);
        }
        else if (!string.IsNullOrWhiteSpace(options.ModelPath))
        {
            model = PromptModelTrainer.Load(ml, options.ModelPath);
            source = options.ModelPath;
            LogLoaded(logger, source, stopwatch.ElapsedMilliseconds);
        }
        else
        {
            model = PromptModelTrainer.LoadEmbedded(ml);
            LogLoaded(logger, "the shipped model", stopwatch.ElapsedMilliseconds);
        }

        return new PromptCategoryModel(ml, model, new RoutingTable(options.Routing));
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Classifier trained on {Count} prompts from {Source} in {ElapsedMs} ms")]
    private static partial void LogTrained(ILogger logger, int count, string source, long elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Classifier model loaded from {Source} in {ElapsedMs} ms")]
    private static partial void LogLoaded(ILogger logger, string source, long elapsedMs);
}
