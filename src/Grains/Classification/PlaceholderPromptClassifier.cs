namespace Router.Grains.Classification;

/// <summary>
/// Placeholder for the in-process classifier: routes every message to <c>llama3.2</c>. Used only
/// until the trained classifier library is wired in.
/// </summary>
public sealed class PlaceholderPromptClassifier : IPromptClassifier
{
    public Task<PromptRoute> ClassifyAsync(string message, CancellationToken cancellationToken) =>
        Task.FromResult(new PromptRoute("llama3.2", null, null));
}
