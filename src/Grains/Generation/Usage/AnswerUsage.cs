using Router.Grains.Generation.Mapping;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation.Usage;

/// <summary>
/// The figures an answer ends with: the backend's own counts where it gave them, else the router's
/// estimate of what it sent and relayed (<see cref="TokenEstimate"/>), marked so. Prices are applied
/// to these figures, so an answer without usage from its backend is still billed, and said to be estimated.
/// </summary>
internal static class AnswerUsage
{
    /// <param name="generated">True when a backend generated the answer (not the router's standard response).</param>
    /// <param name="failed">A failed answer is billed what its backend reports; without a report, only if it produced something.</param>
    public static CompletionSummary Summarize(CompletionJobSpec spec, GenerationResult result, bool generated, bool failed, long processingMs)
    {
        // A missing count can arrive as 0 (OllamaSharp reads an absent prompt_eval_count so): no real
        // prompt is 0 tokens, and no answer that relayed something generated none.
        var prompt = result.PromptTokens is > 0 ? result.PromptTokens : null;
        var output = result.OutputTokens is > 0 || (result.OutputTokens == 0 && result.RelayedChars == 0) ? result.OutputTokens : null;
        var estimated = false;
        var processed = !failed || result.RelayedChars > 0;
        if (generated && processed && prompt is null)
        {
            prompt = TokenEstimate.OfPrompt(spec.Message, spec.History, spec.Input);
            estimated = true;
        }

        if (generated && processed && output is null)
        {
            output = TokenEstimate.OfChars(result.RelayedChars);
            estimated = true;
        }

        return new CompletionSummary(spec.Category, prompt, output, processingMs,
            failed ? null : AnswerPiece.FinishReasonOf(result) ?? "stop", result.CachedInputTokens, estimated, failed ? null : result.StopSequence);
    }
}
