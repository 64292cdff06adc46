using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML;
using Router.Classifier.Data;
using Router.Classifier.Embedding;
using Router.Classifier.Training;

namespace Router.Classifier;

/// <summary>Creates the model the options ask for: load a saved model, train on a given file, or load the shipped one.</summary>
public static partial class PromptCategoryModelFactory
{
    public static PromptCategoryModel Create(ClassifierModelOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var ml = new MLContext(seed: PromptModelTrainer.Seed);
        var stopwatch = Stopwatch.StartNew();
        var useEncoder = options.Encoder?.Enabled ?? false;
        PromptEmbedder? embedder = null;
        try
        {
            PromptModelBundle bundle;
            if (!string.IsNullOrWhiteSpace(options.TrainingDataPath))
            {
                embedder = useEncoder ? CreateEmbedder(logger) : null;
                var prompts = LabelledPromptFile.Read(options.TrainingDataPath);
                bundle = PromptModelBundle.Train(ml, prompts, embedder);
                if (!string.IsNullOrWhiteSpace(options.ModelPath))
                {
                    bundle.Save(ml, options.ModelPath);
                }

                LogTrained(logger, prompts.Count, options.TrainingDataPath, stopwatch.ElapsedMilliseconds);
            }
            else
            {
                // The encoder and the ML.NET models load side by side: together they are most of the start-up time.
                var loadingEncoder = useEncoder ? Task.Run(() => CreateEmbedder(logger)) : Task.FromResult<PromptEmbedder?>(null);
                var source = string.IsNullOrWhiteSpace(options.ModelPath) ? "the shipped model" : options.ModelPath;
                try
                {
                    bundle = string.IsNullOrWhiteSpace(options.ModelPath) ? PromptModelBundle.LoadEmbedded(ml) : PromptModelBundle.Load(ml, options.ModelPath);
                }
                finally
                {
                    embedder = loadingEncoder.GetAwaiter().GetResult();
                }

                LogLoaded(logger, source, stopwatch.ElapsedMilliseconds);
            }

            if (useEncoder && bundle.Hybrid is null)
            {
                LogNoSecondTier(logger);
            }

            return new PromptCategoryModel(ml, bundle, new RoutingTable(options.Routing), embedder, options.Encoder?.EscalateBelow ?? 0);
        }
        catch
        {
            embedder?.Dispose();
            throw;
        }
    }

    private static PromptEmbedder? CreateEmbedder(ILogger logger)
    {
        var stopwatch = Stopwatch.StartNew();
        var embedder = new PromptEmbedder();
        LogEncoderLoaded(logger, stopwatch.ElapsedMilliseconds);
        return embedder;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Classifier trained on {Count} prompts from {Source} in {ElapsedMs} ms")]
    private static partial void LogTrained(ILogger logger, int count, string source, long elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Classifier model loaded from {Source} in {ElapsedMs} ms")]
    private static partial void LogLoaded(ILogger logger, string source, long elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Sentence encoder loaded in {ElapsedMs} ms")]
    private static partial void LogEncoderLoaded(ILogger logger, long elapsedMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "The classifier model has no encoder tier; n-grams decide every prompt")]
    private static partial void LogNoSecondTier(ILogger logger);
}
