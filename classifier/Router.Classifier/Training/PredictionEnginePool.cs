using System.Collections.Concurrent;
using Microsoft.ML;

namespace Router.Classifier.Training;

/// <summary>
/// ML.NET's <see cref="PredictionEngine{TSrc,TDst}"/> keeps per-call buffers and is not thread-safe, so each
/// concurrent caller rents its own engine. Engines are returned for reuse; the pool keeps at most
/// <see cref="MaxRetained"/> idle ones and creates more under bursts.
/// </summary>
internal sealed class PredictionEnginePool
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly ConcurrentBag<PredictionEngine<PromptModelInput, PromptModelOutput>> _idle = [];

    public PredictionEnginePool(MLContext ml, ITransformer model, int maxRetained)
    {
        _ml = ml;
        _model = model;
        MaxRetained = maxRetained;
        _idle.Add(Create());
    }

    public int MaxRetained { get; }

    public PredictionEngine<PromptModelInput, PromptModelOutput> Rent() =>
        _idle.TryTake(out var engine) ? engine : Create();

    public void Return(PredictionEngine<PromptModelInput, PromptModelOutput> engine)
    {
        if (_idle.Count < MaxRetained)
        {
            _idle.Add(engine);
        }
        else
        {
            engine.Dispose();
        }
    }

    private PredictionEngine<PromptModelInput, PromptModelOutput> Create() =>
        _ml.Model.CreatePredictionEngine<PromptModelInput, PromptModelOutput>(_model);
}
