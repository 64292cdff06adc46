using System.Globalization;

namespace Router.WebFront.Spend;

/// <summary>The cost of a plain (not streamed) answer as headers, beside the routing decision's <c>x-router-*</c>.</summary>
public static class CostHeaders
{
    public static void Write(HttpResponse response, RequestCost? cost)
    {
        if (cost is not { Priced: true } || response.HasStarted) return;
        response.Headers["x-router-cost"] = cost.Amount.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-router-cost-currency"] = cost.Currency;
        if (cost.Estimated) response.Headers["x-router-cost-estimated"] = "true";
    }
}
