using Microsoft.Extensions.Options;
using Router.WebFront.Spend;

namespace Router.WebFront.Tests.Spend;

public sealed class PriceListTests
{
    private static PriceList Prices(params (string Key, ModelPrice Price)[] models)
    {
        var options = new PricingOptions();
        foreach (var (key, price) in models) options.Models[key] = price;
        return new PriceList(Microsoft.Extensions.Options.Options.Create(options));
    }

    [Fact]
    public void Cost_is_tokens_times_the_price_per_million_exactly()
    {
        var prices = Prices(("llama3.2", new ModelPrice { Input = 0.15m, Output = 0.6m }));
        var cost = prices.Cost("llama3.2", prompt: 1234, output: 567, cached: null, estimated: false);

        Assert.Equal(0.0005253m, cost.Amount);
        Assert.Equal("USD", cost.Currency);
        Assert.True(cost.Priced);
        Assert.False(cost.Estimated);
    }

    [Fact]
    public void Cached_prompt_tokens_cost_the_cached_price_when_one_is_set()
    {
        var prices = Prices(
            ("gpt", new ModelPrice { Input = 2.5m, Output = 10m, CachedInput = 1.25m }),
            ("plain", new ModelPrice { Input = 2.5m, Output = 10m }));

        Assert.Equal(0.003m, prices.Cost("gpt", 1000, 100, cached: 400, estimated: false).Amount);
        Assert.Equal(0.0035m, prices.Cost("plain", 1000, 100, cached: 400, estimated: false).Amount);
    }

    [Fact]
    public void An_unpriced_model_costs_zero_and_is_marked_so()
    {
        var cost = Prices().Cost("mystery", 1000, 1000, null, estimated: true);
        Assert.Equal(0m, cost.Amount);
        Assert.False(cost.Priced);
        Assert.True(cost.Estimated);
    }

    [Fact]
    public void A_model_whose_name_holds_a_colon_is_priced_through_its_Model_setting_in_any_case()
    {
        var prices = Prices(("llama3-8b", new ModelPrice { Model = "llama3:8b", Input = 1m, Output = 2m }));
        Assert.Equal(0.000003m, prices.Cost("LLAMA3:8B", 1, 1, null, false).Amount);
        Assert.False(prices.IsPriced("llama3-8b"));
    }

    [Fact]
    public void Costs_are_rounded_to_ten_places_as_the_log_keeps_them()
    {
        var cost = Prices(("m", new ModelPrice { Input = 0.00003m, Output = 0m })).Cost("m", 7, 0, null, false);
        Assert.Equal(0.0000000002m, cost.Amount); // 2.1e-10, to even at ten places
    }

    [Theory]
    [InlineData("Currency", "usd", "Pricing:Currency")]
    [InlineData("Models:m:Input", "-1", "Pricing:Models:m:Input")]
    [InlineData("Models:m:Output", "", "Pricing:Models:m needs both Input and Output")]
    [InlineData("Models:m:CachedInput", "2000000", "Pricing:Models:m:CachedInput")]
    public async Task Bad_prices_stop_the_router_at_start_naming_the_setting(string setting, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pricing:Models:m:Input"] = "1",
            ["Pricing:Models:m:Output"] = "1",
            [$"Pricing:{setting}"] = value,
        };
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () => await (await RouterHost.StartAsync(settings)).DisposeAsync());
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }
}
