using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using OllamaSharp.Models;
using Router.Grains.Generation;
using Router.Grains.Interfaces;

namespace Router.Grains.Embeddings;

/// <summary>
/// Embeds on the named model's backend: Ollama's <c>/api/embed</c> through OllamaSharp, an upstream's
/// <c>/embeddings</c> through Microsoft.Extensions.AI's OpenAI embedding generator. A local stateless
/// worker, reentrant: each call only waits on HTTP, and one slow backend must not queue the others.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class EmbeddingGrain(ModelBackends backends, ILogger<EmbeddingGrain> logger) : Grain, IEmbeddingGrain
{
    public async Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(IEmbeddingGrain.Timeout);
        var upstream = backends.UpstreamEmbeddingsFor(request.Model);
        try
        {
            if (upstream is not null) return await EmbedUpstreamAsync(upstream, request, deadline.Token);
            if (backends.OllamaClientFor(request.Model) is { } ollama) return await EmbedOllamaAsync(ollama, request, deadline.Token);
            return EmbeddingResult.Failed(new CompletionError(ErrorCodes.ModelNotFound, $"The model '{request.Model}' is not served by this router."));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var code = upstream is null ? ErrorCodes.OllamaTimeout : ErrorCodes.UpstreamTimeout;
            EmbeddingLog.Failed(logger, null, request.Model, code);
            return EmbeddingResult.Failed(new CompletionError(code, $"The backend of '{request.Model}' sent no embeddings within {IEmbeddingGrain.Timeout.TotalSeconds:0} s."));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = upstream is null ? BackendErrors.Describe(ex, request.Model) : BackendErrors.DescribeUpstream(ex, request.Model);
            EmbeddingLog.Failed(logger, ex, request.Model, error.Code);
            return EmbeddingResult.Failed(error);
        }
    }

    private static async Task<EmbeddingResult> EmbedOllamaAsync(OllamaSharp.IOllamaApiClient ollama, EmbeddingRequest request, CancellationToken cancellationToken)
    {
        RequestOptions? options = null;
        if (request.OptionsJson is { } json)
        {
            var (read, problem) = EmbeddingOptions.Read(json);
            if (problem is not null) return EmbeddingResult.Failed(new CompletionError(ErrorCodes.BackendRefused, problem));
            options = read;
        }

        var response = await ollama.EmbedAsync(new EmbedRequest
        {
            Model = request.Model,
            Input = [.. request.Inputs],
            Dimensions = request.Dimensions,
            Truncate = request.Truncate,
            KeepAlive = request.KeepAlive,
            Options = options,
        }, cancellationToken);
        return new EmbeddingResult(response.Embeddings ?? [], response.PromptEvalCount);
    }

    private static async Task<EmbeddingResult> EmbedUpstreamAsync(IEmbeddingGenerator<string, Embedding<float>> generator, EmbeddingRequest request, CancellationToken cancellationToken)
    {
        var options = request.Dimensions is { } dimensions ? new EmbeddingGenerationOptions { Dimensions = dimensions } : null;
        var embeddings = await generator.GenerateAsync(request.Inputs, options, cancellationToken);
        var tokens = embeddings.Usage?.InputTokenCount;
        return new EmbeddingResult([.. embeddings.Select(e => e.Vector.ToArray())], tokens is null ? null : (int)tokens.Value);
    }
}
