namespace Router.Grains.Interfaces;

/// <summary>
/// What a request needs of the model that serves it, so that <c>auto</c> never picks one that cannot:
/// images need vision, offered tools need tool calling, asked-for thinking needs a reasoning model,
/// structured output needs a model that follows a format, and the prompt must fit the context.
/// </summary>
/// <param name="PromptTokens">An estimate of the prompt's tokens (0: not checked).</param>
[GenerateSerializer, Immutable, Alias("router.request-needs.v1")]
public sealed record RequestNeeds(
    [property: Id(0)] bool Vision = false,
    [property: Id(1)] bool Tools = false,
    [property: Id(2)] bool Thinking = false,
    [property: Id(3)] bool StructuredOutput = false,
    [property: Id(4)] int PromptTokens = 0)
{
    /// <summary>True when the request needs nothing beyond plain text completion.</summary>
    public bool IsPlain => !Vision && !Tools && !Thinking && !StructuredOutput && PromptTokens == 0;

    /// <summary>The needs of a request the client owns (null input: the session's own conversation, which needs nothing more).</summary>
    public static RequestNeeds? Of(ModelInput? input, GenerationSettings? settings)
    {
        if (input is null) return null;
        var thinking = settings?.Reasoning is { } reasoning && reasoning != "off";
        return new RequestNeeds(input.HasImages, input.UsesTools, thinking, input.Format is not null, input.EstimatedPromptTokens());
    }
}
