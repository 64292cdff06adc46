namespace Router.Classifier.Tests;

public sealed class RoutingTableTests
{
    [Theory]
    [InlineData(PromptCategories.Code, 0.9, "qwen2.5-coder")]
    [InlineData(PromptCategories.Math, 0.9, "deepseek-r1")]
    [InlineData(PromptCategories.CreativeWriting, 0.9, "llama3.2")]
    [InlineData(PromptCategories.TextTransformation, 0.9, "llama3.2")]
    [InlineData(PromptCategories.Knowledge, 0.9, "llama3.2")]
    [InlineData(PromptCategories.Conversation, 0.9, "llama3.2")]
    [InlineData(PromptCategories.Code, 0.5, "qwen2.5-coder")]
    [InlineData(PromptCategories.Code, 0.499, "llama3.2")]
    [InlineData(PromptCategories.Math, 0.1, "llama3.2")]
    public void Default_table_routes_code_and_math_and_falls_back_below_the_threshold(string category, double confidence, string model)
    {
        var table = new RoutingTable(new RoutingTableOptions());

        Assert.Equal(model, table.Choose(category, confidence));
    }

    [Fact]
    public void A_configured_table_overrides_routes_threshold_and_default()
    {
        var table = new RoutingTable(new RoutingTableOptions
        {
            Routes = new() { [PromptCategories.CreativeWriting] = "mistral" },
            ConfidenceThreshold = 0.8,
            DefaultModel = "phi4",
        });

        Assert.Equal("mistral", table.Choose(PromptCategories.CreativeWriting, 0.81));
        Assert.Equal("phi4", table.Choose(PromptCategories.CreativeWriting, 0.79));
        Assert.Equal("phi4", table.Choose(PromptCategories.Code, 0.99));
    }
}
