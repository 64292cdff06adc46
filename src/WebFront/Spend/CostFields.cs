using System.Text.Json;

namespace Router.WebFront.Spend;

/// <summary>
/// The cost of a priced model's answer as fields of a surface's usage object (<c>cost</c>,
/// <c>cost_estimated</c>, <c>currency</c>): extra fields the official clients ignore, written only for
/// priced models, so an unpriced answer's usage is exactly the API's own.
/// </summary>
public static class CostFields
{
    public static void Write(Utf8JsonWriter json, RequestCost? cost)
    {
        if (cost is not { Priced: true }) return;
        json.WriteNumber("cost"u8, cost.Amount);
        json.WriteBoolean("cost_estimated"u8, cost.Estimated);
        json.WriteString("currency"u8, cost.Currency);
    }
}
