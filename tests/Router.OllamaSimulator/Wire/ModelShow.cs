using System.Text.Json;
using Router.OllamaSimulator.Generation;
using Router.OllamaSimulator.Requests;

namespace Router.OllamaSimulator.Wire;

/// <summary>
/// Ollama's <c>POST /api/show</c>: details, <c>model_info</c> with <c>general.architecture</c> and
/// <c>&lt;family&gt;.context_length</c>, and <c>capabilities</c>, from <see cref="ModelTraits"/>.
/// </summary>
internal static class ModelShow
{
    public static async Task HandleAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<SimulatorOptions>();
        string? model;
        try
        {
            using var body = await RequestBody.ReadAsync(context);

            // Older clients send "name"; Ollama accepts both.
            model = JsonFields.String(body.Root, "model", string.Empty) ?? JsonFields.String(body.Root, "name", string.Empty);
        }
        catch (BadRequestException ex)
        {
            await OllamaDialect.Instance.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ex.Message);
            return;
        }

        if (string.IsNullOrWhiteSpace(model))
        {
            await OllamaDialect.Instance.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "model is required");
            return;
        }

        if (!ModelCatalog.IsKnown(options, model))
        {
            await OllamaDialect.Instance.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"model '{model}' not found");
            return;
        }

        var traits = ModelTraits.For(options, model);
        var details = ModelCatalog.Describe(options, model).Details;
        context.Response.ContentType = GenerationHandler.JsonContentType;
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            Write(json, ModelCatalog.Normalize(model), traits, details);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static void Write(Utf8JsonWriter json, string name, ModelTraits traits, TagModelDetails details)
    {
        var family = traits.Family;
        json.WriteStartObject();
        json.WriteString("license", string.Empty);
        json.WriteString("modelfile", $"# Modelfile of the simulated {name}\nFROM {name}\n");
        json.WriteString("parameters", string.Empty);
        json.WriteString("template", "{{ .Prompt }}");
        json.WriteStartObject("details");
        json.WriteString("parent_model", details.ParentModel);
        json.WriteString("format", details.Format);
        json.WriteString("family", details.Family);
        json.WriteStartArray("families");
        foreach (var f in details.Families) json.WriteStringValue(f);
        json.WriteEndArray();
        json.WriteString("parameter_size", details.ParameterSize);
        json.WriteString("quantization_level", details.QuantizationLevel);
        json.WriteEndObject();
        json.WriteStartObject("model_info");
        json.WriteString("general.architecture", family);
        json.WriteNumber("general.parameter_count", traits.Size * 2);
        json.WriteNumber($"{family}.context_length", traits.ContextLength);
        json.WriteNumber($"{family}.embedding_length", traits.Can(ModelTraits.Embedding) ? ModelTraits.EmbeddingLength : 4096);
        json.WriteEndObject();
        json.WriteStartArray("capabilities");
        foreach (var capability in traits.Capabilities) json.WriteStringValue(capability);
        json.WriteEndArray();
        json.WriteString("modified_at", ModelCatalog.Modified);
        json.WriteEndObject();
    }
}
