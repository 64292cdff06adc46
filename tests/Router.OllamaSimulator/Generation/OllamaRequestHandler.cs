using Router.OllamaSimulator.Requests;

namespace Router.OllamaSimulator.Generation;

/// <summary>Reads <c>/api/chat</c> and <c>/api/generate</c> bodies and hands them to the generation loop in Ollama's dialect.</summary>
internal sealed class OllamaRequestHandler(GenerationHandler generation)
{
    public Task HandleChatAsync(HttpContext context) => HandleAsync(context, SimulatedEndpoint.Chat, OllamaRequestReader.ReadChat);

    public Task HandleGenerateAsync(HttpContext context) => HandleAsync(context, SimulatedEndpoint.Generate, OllamaRequestReader.ReadGenerate);

    private async Task HandleAsync(HttpContext context, SimulatedEndpoint endpoint, Func<RequestBody, SimulatedCall> read)
    {
        SimulatedCall call;
        try
        {
            using var body = await RequestBody.ReadAsync(context);
            call = read(body);
        }
        catch (BadRequestException ex)
        {
            await generation.RejectAsync(context, OllamaDialect.Instance, new(endpoint, null, null, false, 0, SimulatedParameters.None), StatusCodes.Status400BadRequest, ex.Message);
            return;
        }

        await generation.RunAsync(context, OllamaDialect.Instance, call);
    }
}
