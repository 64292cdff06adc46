using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Router.WebFront.Auth;
using Router.WebFront.Completions;
using Router.WebFront.Options;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>
/// The Responses API's endpoints around a response: its input items, cancelling it, and counting a
/// request's input tokens before sending it.
/// </summary>
internal static class ResponsesItemsEndpoints
{
    public static void MapResponsesItems(this RouteGroupBuilder api)
    {
        api.MapGet("/{id}/input_items", InputItemsAsync).WithName("ResponseInputItems").WithSummary("The input items of a stored response of the caller.");
        api.MapPost("/{id}/cancel", CancelAsync).WithName("CancelResponse")
            .WithSummary("Cancels a background response; the router runs none, so a stored response is answered 400.");
        api.MapPost("/input_tokens", InputTokensAsync).WithName("ResponseInputTokens").WithSummary("An estimate of a Responses request's input tokens.");
    }

    /// <summary><c>{"object":"list","data","first_id","last_id","has_more"}</c>, paged with <c>limit</c> (1–100), <c>order</c> (<c>desc</c> by default) and <c>after</c>.</summary>
    private static async Task InputItemsAsync(string id, HttpContext context, RequestIdentity identity, ResponseChain chain, ILogger<ResponseChain> logger)
    {
        var query = context.Request.Query;
        var limit = 20;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            await ResponsesError.Invalid("'limit' must be a whole number from 1 to 100.", "limit").WriteAsync(context.Response);
            return;
        }

        var order = query.TryGetValue("order", out var orderText) ? orderText.ToString() : "desc";
        if (order is not ("asc" or "desc"))
        {
            await ResponsesError.Invalid("'order' must be 'asc' or 'desc'.", "order").WriteAsync(context.Response);
            return;
        }

        if (await ResponsesEndpoints.StoredAsync(id, context, identity, chain, logger, static (grain, token) => grain.GetAsync(token)) is not { } stored) return;
        var items = InputItemsWriter.Of(stored);
        if (order == "desc") items.Reverse();
        var start = 0;
        if (query.TryGetValue("after", out var after))
        {
            var at = items.FindIndex(i => i.Id == after);
            if (at < 0)
            {
                await ResponsesError.Invalid($"'after' names no input item of response '{id}'.", "after").WriteAsync(context.Response);
                return;
            }

            start = at + 1;
        }

        var page = items.Skip(start).Take(limit).ToList();
        context.Response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(context.Response.BodyWriter, ResponseObjectWriter.Options))
        {
            json.WriteStartObject();
            json.WriteString("object"u8, "list");
            json.WriteStartArray("data"u8);
            foreach (var item in page) item.Write(json);
            json.WriteEndArray();
            WriteId(json, "first_id", page.Count > 0 ? page[0].Id : null);
            WriteId(json, "last_id", page.Count > 0 ? page[^1].Id : null);
            json.WriteBoolean("has_more"u8, start + page.Count < items.Count);
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// Only a background response can be cancelled, and the router answers every response within its
    /// request (<c>background: true</c> is refused): a stored one is finished, so the answer is a 400; an
    /// unknown one a 404. A client that wants to stop an answer in flight closes its connection.
    /// </summary>
    private static async Task CancelAsync(string id, HttpContext context, RequestIdentity identity, ResponseChain chain, ILogger<ResponseChain> logger)
    {
        if (await ResponsesEndpoints.StoredAsync(id, context, identity, chain, logger, static (grain, token) => grain.GetAsync(token)) is null) return;
        await ResponsesError.Invalid($"Response '{id}' was not created with background set to true, so it cannot be cancelled "
            + "(this router runs no background responses; an answer in flight stops when its client disconnects).", code: "not_cancellable").WriteAsync(context.Response);
    }

    /// <summary>
    /// <c>{"object":"response.input_tokens","input_tokens":n}</c>: the router's estimate of the whole
    /// input the model would get (instructions, the stored conversation of <c>previous_response_id</c>,
    /// the input items, the tools), a token per four bytes of text (images are not counted); no backend is asked.
    /// </summary>
    private static async Task InputTokensAsync(HttpContext context, RequestIdentity identity, ResponseChain chain, IOptions<WebFrontOptions> options, ILogger<ResponseChain> logger)
    {
        var aborted = context.RequestAborted;
        var (userId, _, problem) = await identity.ResolveAsync(context.Request);
        if (problem is not null || userId is null)
        {
            await ResponsesErrors.Instance.FromIdentity(problem).WriteAsync(context.Response);
            return;
        }

        var (request, history, error) = await chain.ReadRequestAsync(context.Request, userId, options.Value.MaxChatBodyBytes, options.Value.MaxMessageBytes, aborted);

        Grains.Interfaces.ModelInput? input = null;
        if (request is not null && history is not null && error is null) (input, _, error) = ResponsesConversation.Assemble(request, history);
        if (input is null)
        {
            await (error ?? ResponsesErrors.Instance.Unreadable()).WriteAsync(context.Response);
            return;
        }

        await TypedResults.Json(new { @object = "response.input_tokens", input_tokens = input.EstimatedPromptTokens() }).ExecuteAsync(context);
    }

    private static void WriteId(Utf8JsonWriter json, string name, string? id)
    {
        if (id is null) json.WriteNull(name);
        else json.WriteString(name, id);
    }
}
