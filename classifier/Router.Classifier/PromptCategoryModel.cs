using Microsoft.ML;
using Microsoft.ML.Data;
using Router.Classifier.Training;

namespace Router.Classifier;

/// <summary>The trained ML.NET model behind <see cref="IPromptCategoryModel"/>, with its routing table applied.</summary>
public sealed class PromptCategoryModel : IPromptCategoryModel
{
    private readonly PredictionEnginePool _engines;
    private readonly string[] _slotCategories;
    private readonly RoutingTable _routing;

    public PromptCategoryModel(MLContext ml, ITransformer model, RoutingTable routing)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(model);
        _routing = routing ?? throw new ArgumentNullException(nameof(routing));
        _slotCategories = ReadScoreSlots(ml, model);
        _engines = new PredictionEnginePool(ml, model, maxRetained: Environment.ProcessorCount * 4);
        Model = model;
    }

    /// <summary>The underlying ML.NET transformer (for saving or evaluation).</summary>
    public ITransformer Model { get; }

    public RoutingTable Routing => _routing;

    public PromptClassification Classify(string message)
    {
        var input = new PromptModelInput { Text = PromptTextNormalizer.Normalize(message) };
        var engine = _engines.Rent();
        float[] raw;
        try
        {
            raw = engine.Predict(input).Score;
        }
        finally
        {
            _engines.Return(engine);
        }

        var scores = new Dictionary<string, double>(_slotCategories.Length, StringComparer.Ordinal);
        var best = 0;
        for (var i = 0; i < _slotCategories.Length; i++)
        {
            scores[_slotCategories[i]] = Math.Round(raw[i], 6);
            if (raw[i] > raw[best])
            {
                best = i;
            }
        }

        var category = _slotCategories[best];
        double confidence = raw[best];
        return new PromptClassification(_routing.Choose(category, confidence), category, Math.Round(confidence, 6), scores);
    }

    /// <summary>The category of each score slot, read from the model so the order never has to be assumed.</summary>
    private static string[] ReadScoreSlots(MLContext ml, ITransformer model)
    {
        var schema = model.GetOutputSchema(PromptModelTrainer.InputSchema(ml));
        VBuffer<ReadOnlyMemory<char>> names = default;
        schema["Score"].GetSlotNames(ref names);
        var categories = names.DenseValues().Select(n => n.ToString()).ToArray();
        if (categories.Length == 0)
        {
            throw new InvalidOperationException("The model's Score column has no category names.");
        }

        return categories;
    }
}
