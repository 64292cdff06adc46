using System.Text.Json;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>Typed reads of a body's fields; a wrong type throws <see cref="BadRequest"/> naming the field's path.</summary>
internal static class Fields
{
    /// <summary>True when the field is there and not null.</summary>
    public static bool TryGet(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>Refuses any field not in <paramref name="known"/>: what the router cannot honour is never dropped in silence.</summary>
    public static void Only(JsonElement parent, string prefix, ICollection<string> known)
    {
        foreach (var property in parent.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                throw new BadRequest($"{prefix}{property.Name}: Extra inputs are not permitted (this router does not support '{property.Name}' here)");
            }
        }
    }

    public static string? String(JsonElement parent, string name, bool required, string? path = null)
    {
        if (!TryGet(parent, name, out var value))
        {
            return required ? throw new BadRequest($"{path ?? name}: Field required") : null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new BadRequest($"{path ?? name}: must be a string");
    }

    public static bool? Bool(JsonElement parent, string name, string? path = null)
    {
        if (!TryGet(parent, name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new BadRequest($"{path ?? name}: must be true or false"),
        };
    }

    public static int? Int(JsonElement parent, string name, bool required, int min, string? path = null)
    {
        if (!TryGet(parent, name, out var value))
        {
            return required ? throw new BadRequest($"{path ?? name}: Field required") : null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw new BadRequest($"{path ?? name}: must be an integer");
        }

        if (number < min || number > int.MaxValue) throw new BadRequest($"{path ?? name}: must be between {min} and {int.MaxValue}");
        return (int)number;
    }

    public static float? Number(JsonElement parent, string name, double min, double max)
    {
        if (!TryGet(parent, name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw new BadRequest($"{name}: must be a number");
        }

        if (number < min || number > max) throw new BadRequest($"{name}: must be between {min} and {max}");
        return (float)number;
    }
}
