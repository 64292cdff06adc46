using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
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
        if (!string.IsNullOrWhiteSpace(options.TrainingDataPath))
        {
            var embedder = useEncoder ? CreateEmbedder(options.Encoder?.TrainingEmbedding ?? EmbeddingKinds.Static, logger) : null;
            try
            {
                var prompts = LabelledPromptFile.Read(options.TrainingDataPath);
                var followUpsPath = Conversations.FollowUpDetector.PathBeside(options.TrainingDataPath);
                var followUps = File.Exists(followUpsPath) ? Conversations.FollowUpDetector.ReadFollowUps(followUpsPath) : null;
                var trained = PromptModelBundle.Train(ml, prompts, embedder, followUps: followUps);
                if (!string.IsNullOrWhiteSpace(options.ModelPath))
                {
                    trained.Save(ml, options.ModelPath);
                }

                LogTrained(logger, prompts.Count, options.TrainingDataPath, stopwatch.ElapsedMilliseconds);
                return Build(ml, trained, options, Task.FromResult(embedder), logger);
            }
            catch
            {
                embedder?.Dispose();
                throw;
            }
        }

        var bundle = string.IsNullOrWhiteSpace(options.ModelPath) ? PromptModelBundle.LoadEmbedded(ml) : PromptModelBundle.Load(ml, options.ModelPath);
        LogLoaded(logger, string.IsNullOrWhiteSpace(options.ModelPath) ? "the shipped model" : options.ModelPath, stopwatch.ElapsedMilliseconds);

        // The encoder loads in the background once the ML.NET models are in memory, so that it does not compete with
        // them for the cores: the n-gram tier serves from then on, and the second tier joins when the encoder is ready.
        var loadingEncoder = useEncoder && bundle.Hybrid is not null ? Task.Run(() => CreateEmbedder(bundle.Manifest.EmbeddingKind, logger)) : Task.FromResult<IPromptEmbedder?>(null);
        return Build(ml, bundle, options, loadingEncoder, logger);
    }

    private static PromptCategoryModel Build(MLContext ml, PromptModelBundle bundle, ClassifierModelOptions options, Task<IPromptEmbedder?> encoder, ILogger logger)
    {
        if ((options.Encoder?.Enabled ?? false) && bundle.Hybrid is null)
        {
            LogNoSecondTier(logger);
        }

        return new PromptCategoryModel(ml, bundle, new RoutingTable(options.Routing), encoder, options.Encoder?.EscalateBelow ?? 0);
    }

    private static IPromptEmbedder? CreateEmbedder(string kind, ILogger logger)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            IPromptEmbedder embedder = kind == EmbeddingKinds.Static ? StaticPromptEmbedder.LoadShipped() : new PromptEmbedder();
            LogEncoderLoaded(logger, kind, stopwatch.ElapsedMilliseconds);
            return embedder;
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or InvalidOperationException or TypeInitializationException or InvalidDataException)
        {
            // Without the encoder the classifier still works, at n-gram quality; a missing native library must not stop the host.
            LogEncoderFailed(logger, ex);
            return null;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Classifier trained on {Count} prompts from {Source} in {ElapsedMs} ms")]
    private static partial void LogTrained(ILogger logger, int count, string source, long elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Classifier model loaded from {Source} in {ElapsedMs} ms")]
    private static partial void LogLoaded(ILogger logger, string source, long elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Sentence encoder ({Kind}) loaded in {ElapsedMs} ms")]
    private static partial void LogEncoderLoaded(ILogger logger, string kind, long elapsedMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Sentence encoder failed to load; n-grams decide every prompt")]
    private static partial void LogEncoderFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "The classifier model has no encoder tier; n-grams decide every prompt")]
    private static partial void LogNoSecondTier(ILogger logger);
}
