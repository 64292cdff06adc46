using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Router.WebFront.Auth;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>
/// Anthropic's Models API over the router's served models (<see cref="ServedModels.Listing"/>):
/// <c>GET /v1/models</c> (paged with <c>limit</c>, <c>after_id</c>, <c>before_id</c>) and
/// <c>GET /v1/models/{id}</c>, answered to requests that carry <c>anthropic-version</c>; without it
/// the same paths are OpenAI's.
/// </summary>
internal static class AnthropicModelsEndpoints
{
    public const string VersionHeader = "anthropic-version";

    // The router knows no release dates; the process's start stands in, as on Ollama's listing.
    private static readonly string ServingSince = Process.GetCurrentProcess().StartTime.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static void MapAnthropicModels(this IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/models", ListAsync).WhenHeader(VersionHeader).WithName("AnthropicModels")
            .WithSummary("Anthropic's model listing (for requests with anthropic-version).");
        api.MapGet("/v1/models/{id}", GetAsync).WhenHeader(VersionHeader).WithName("AnthropicModel")
            .WithSummary("One model as Anthropic's API describes it (for requests with anthropic-version).");
    }

    private static async Task ListAsync(HttpContext context, RequestIdentity identity, ServedModels models)
    {
        if (!await IdentifiedAsync(context, identity)) return;
        var query = context.Request.Query;
        var all = models.Listing.ToList();
        var limit = 20;
        if (query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            await AnthropicError.Invalid("limit: must be a whole number from 1 to 1000").WriteAsync(context.Response, null);
            return;
        }

        var (start, end) = (0, all.Count);
        foreach (var (name, after) in new[] { ("after_id", true), ("before_id", false) })
        {
            if (!query.TryGetValue(name, out var cursor)) continue;
            var at = all.FindIndex(m => string.Equals(m.Name, cursor, StringComparison.OrdinalIgnoreCase));
            if (at < 0)
            {
                await AnthropicError.Invalid($"{name}: '{cursor}' is not a model of this listing").WriteAsync(context.Response, null);
                return;
            }

            if (after) start = Math.Max(start, at + 1);
            else end = Math.Min(end, at);
        }

        // Paging backwards (before_id alone) gives the page that ends just before the cursor.
        var backwards = query.ContainsKey("before_id") && !query.ContainsKey("after_id");
        var count = Math.Max(0, Math.Min(limit, end - start));
        var from = backwards ? Math.Max(start, end - count) : start;
        var page = all.GetRange(from, count);
        var hasMore = backwards ? from > start : from + count < end;

        context.Response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(context.Response.BodyWriter, AnthropicJson.Options))
        {
            json.WriteStartObject();
            json.WriteStartArray("data"u8);
            foreach (var model in page) WriteModel(json, model.Name, model);
            json.WriteEndArray();
            WriteId(json, "first_id", page.Count > 0 ? page[0].Name : null);
            WriteId(json, "last_id", page.Count > 0 ? page[^1].Name : null);
            json.WriteBoolean("has_more"u8, hasMore);
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>A listed name, or any name an alias takes (what an agent checks before it sends <c>claude-…</c>).</summary>
    private static async Task GetAsync(string id, HttpContext context, RequestIdentity identity, ServedModels models)
    {
        if (!await IdentifiedAsync(context, identity)) return;
        var listed = models.Listing.FirstOrDefault(m => string.Equals(m.Name, id, StringComparison.OrdinalIgnoreCase));
        if (listed is null && models.Resolve(id) is { } resolution) listed = new ServedModel(id, "alias", resolution.Served);
        if (listed is null)
        {
            await new AnthropicError(StatusCodes.Status404NotFound, "not_found_error",
                $"model: '{id}' is not served by this router and matches no alias (Models:Aliases).", Grains.Interfaces.ErrorCodes.ModelNotFound)
                .WriteAsync(context.Response, null);
            return;
        }

        context.Response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(context.Response.BodyWriter, AnthropicJson.Options))
        {
            WriteModel(json, listed.Name, listed);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static async Task<bool> IdentifiedAsync(HttpContext context, RequestIdentity identity)
    {
        if ((await identity.ResolveAsync(context.Request)).Problem is not { } problem) return true;
        await AnthropicError.FromProblem(problem).WriteAsync(context.Response, null);
        return false;
    }

    /// <summary>
    /// A model object: <c>id</c>, <c>type</c>, <c>display_name</c> (saying what an alias routes to)
    /// and <c>created_at</c>; the router does not know a model's context window or capabilities, so
    /// those fields are left out.
    /// </summary>
    private static void WriteModel(Utf8JsonWriter json, string id, ServedModel model)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "model");
        json.WriteString("id"u8, id);
        json.WriteString("display_name"u8, model.AliasOf is { } target ? $"{id} (routed to {target})" : id);
        json.WriteString("created_at"u8, ServingSince);
        json.WriteString("lifecycle"u8, "active");
        json.WriteNull("line"u8);
        json.WriteNull("deprecated_at"u8);
        json.WriteNull("retires_at"u8);
        json.WriteEndObject();
    }

    private static void WriteId(Utf8JsonWriter json, string name, string? id)
    {
        if (id is null) json.WriteNull(name);
        else json.WriteString(name, id);
    }
}
