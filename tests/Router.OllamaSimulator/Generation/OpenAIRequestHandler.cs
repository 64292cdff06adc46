using Microsoft.Extensions.Options;
using Router.OllamaSimulator.Requests;
using Router.OllamaSimulator.Wire;

namespace Router.OllamaSimulator.Generation;

/// <summary>
/// Reads <c>/v1/chat/completions</c> bodies and hands them to the generation loop in OpenAI's dialect;
/// checks the bearer key when <see cref="SimulatorOptions.ApiKey"/> is set.
/// </summary>
internal sealed class OpenAIRequestHandler(GenerationHandler generation, IOptions<SimulatorOptions> options)
{
    private static readonly DateTimeOffset Created = new(2025, 9, 1, 12, 0, 0, TimeSpan.Zero);

    public async Task HandleChatCompletionsAsync(HttpContext context)
    {
        var apiKey = BearerToken(context);
        SimulatedCall call;
        bool includeUsage;
        try
        {
            using var body = await RequestBody.ReadAsync(context);
            (call, includeUsage) = OpenAIRequestReader.ReadChat(body, apiKey);
        }
        catch (BadRequestException ex)
        {
            var rejected = new SimulatedCall(SimulatedEndpoint.ChatCompletions, null, null, false, 0, SimulatedParameters.None, apiKey);
            await generation.RejectAsync(context, new OpenAIDialect(false), rejected, StatusCodes.Status400BadRequest, $"We could not parse the JSON body of your request. ({ex.Message})");
            return;
        }

        var dialect = new OpenAIDialect(includeUsage);
        if (!IsAuthorized(apiKey))
        {
            await generation.RejectAsync(context, dialect, call, StatusCodes.Status401Unauthorized, OpenAIDialect.InvalidKey);
            return;
        }

        await generation.RunAsync(context, dialect, call);
    }

    public async Task HandleModelsAsync(HttpContext context)
    {
        if (!IsAuthorized(BearerToken(context)))
        {
            await new OpenAIDialect(false).WriteErrorAsync(context, StatusCodes.Status401Unauthorized, OpenAIDialect.InvalidKey);
            return;
        }

        var created = Created.ToUnixTimeSeconds();
        var body = new ModelListBody("list", [.. options.Value.EffectiveModels.Select(m => new ModelListEntry(m, "model", created, "library"))]);
        await context.Response.WriteAsJsonAsync(body, OpenAIJsonContext.Default.ModelListBody, contentType: null, context.RequestAborted);
    }

    internal bool IsAuthorized(string? apiKey) =>
        options.Value.ApiKey is not { Length: > 0 } required || string.Equals(apiKey, required, StringComparison.Ordinal);

    internal static string? BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }
}
