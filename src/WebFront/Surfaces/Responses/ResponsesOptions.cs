using Microsoft.Extensions.Options;
using Router.Grains.Interfaces.Responses;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>The bounds of stored responses (configuration section <c>Responses</c>).</summary>
public sealed class ResponsesOptions
{
    /// <summary>How long a stored response is kept (the silo's store expires it too).</summary>
    public TimeSpan Retention { get; set; } = ResponseStoreSettings.DefaultRetention;

    /// <summary>
    /// The largest conversation a chain of stored responses may hold, in bytes of text, arguments and
    /// images: a continuation past it is refused (start a new conversation). The last answer of a
    /// chain may take it above the bound by its own size.
    /// </summary>
    public long MaxChainBytes { get; set; } = ResponseStoreSettings.DefaultMaxChainBytes;

    /// <summary>The most responses one chain may have (a continuation reads them all at once).</summary>
    public int MaxChainResponses { get; set; } = 1000;
}

internal sealed class ResponsesOptionsValidator : IValidateOptions<ResponsesOptions>
{
    public ValidateOptionsResult Validate(string? name, ResponsesOptions options)
    {
        var failures = new List<string>();
        if (options.Retention <= TimeSpan.Zero) failures.Add("Responses:Retention must be positive.");
        if (options.MaxChainBytes < 1024) failures.Add("Responses:MaxChainBytes must be at least 1024.");
        if (options.MaxChainResponses < 1) failures.Add("Responses:MaxChainResponses must be at least 1.");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
