using System.Text.Json;
using Router.OllamaSimulator.Wire;

namespace Router.OllamaSimulator.Generation;

/// <summary>Reads <c>/api/chat</c> and <c>/api/generate</c> bodies and hands them to the generation loop in Ollama's dialect.</summary>
internal sealed class OllamaRequestHandler(GenerationHandler generation)
{
    public async Task HandleChatAsync(HttpContext context)
    {
        ChatRequestBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, SimulatorJsonContext.Default.ChatRequestBody, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await RejectBodyAsync(context, SimulatedEndpoint.Chat, ex.Message);
            return;
        }

        string? lastUser = null;
        var words = 0;
        foreach (var message in body?.Messages ?? [])
        {
            words += SimulatedCall.CountWords(message.Content);
            if (string.Equals(message.Role, "user", StringComparison.OrdinalIgnoreCase))
            {
                lastUser = message.Content;
            }
        }

        var parameters = body?.Options?.ToParameters() ?? SimulatedParameters.None;
        await generation.RunAsync(context, OllamaDialect.Instance, new(SimulatedEndpoint.Chat, body?.Model, lastUser, body?.Stream ?? true, words, parameters));
    }

    public async Task HandleGenerateAsync(HttpContext context)
    {
        GenerateRequestBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, SimulatorJsonContext.Default.GenerateRequestBody, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await RejectBodyAsync(context, SimulatedEndpoint.Generate, ex.Message);
            return;
        }

        var words = SimulatedCall.CountWords(body?.System) + SimulatedCall.CountWords(body?.Prompt);
        var parameters = body?.Options?.ToParameters() ?? SimulatedParameters.None;
        await generation.RunAsync(context, OllamaDialect.Instance, new(SimulatedEndpoint.Generate, body?.Model, body?.Prompt, body?.Stream ?? true, words, parameters));
    }

    private Task RejectBodyAsync(HttpContext context, SimulatedEndpoint endpoint, string message) =>
        generation.RejectAsync(context, OllamaDialect.Instance, new(endpoint, null, null, false, 0, SimulatedParameters.None), StatusCodes.Status400BadRequest, message);
}
