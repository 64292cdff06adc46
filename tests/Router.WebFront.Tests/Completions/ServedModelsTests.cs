using Microsoft.Extensions.Configuration;
using Router.WebFront.Completions;

namespace Router.WebFront.Tests.Completions;

/// <summary>Model aliases: a client's name → a served model or <c>auto</c>, with <c>*</c> wildcards.</summary>
public sealed class ServedModelsTests
{
    private static ServedModels With(params (string Alias, string Target)[] aliases)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ollama:Models:0"] = "llama3.2",
            ["Ollama:Models:1"] = "qwen2.5-coder",
            ["Upstreams:0:Name"] = "gpt-upstream",
            ["Upstreams:0:BaseUrl"] = "http://127.0.0.1:1/v1",
        };
        foreach (var (alias, target) in aliases) settings[$"Models:Aliases:{alias}"] = target;
        return new ServedModels(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", "auto", "claude-*")]
    [InlineData("CLAUDE-3-HAIKU", "auto", "claude-*")]
    [InlineData("claude-opus-4-1", "qwen2.5-coder", "claude-opus-*")]
    [InlineData("gpt-5", "qwen2.5-coder", "gpt-5*")]
    [InlineData("gpt-5-codex", "qwen2.5-coder", "gpt-5*")]
    [InlineData("gpt-4o", "llama3.2", "gpt-4o")]
    [InlineData("o3-mini-high", "llama3.2", "o*-mini*")]
    public void A_name_resolves_through_the_most_specific_alias(string name, string served, string alias)
    {
        var models = With(("claude-*", "auto"), ("claude-opus-*", "qwen2.5-coder"), ("gpt-5*", "qwen2.5-coder"), ("gpt-4o", "llama3.2"), ("o*-mini*", "llama3.2"), ("*", "auto"));

        var resolution = models.Resolve(name);

        Assert.NotNull(resolution);
        Assert.Equal(served, resolution.Served);
        Assert.Equal(alias, resolution.Alias);
    }

    [Theory]
    [InlineData("llama3.2", "llama3.2")]
    [InlineData("llama3.2:latest", "llama3.2")]
    [InlineData("AUTO", "auto")]
    [InlineData("gpt-upstream", "gpt-upstream")]
    public void A_served_name_is_used_as_named_even_when_a_pattern_would_match(string name, string served)
    {
        var resolution = With(("*", "qwen2.5-coder"), ("gpt-*", "llama3.2")).Resolve(name);

        Assert.Equal(served, resolution?.Served);
        Assert.Null(resolution?.Alias);
    }

    [Fact]
    public void Auto_resolves_to_no_named_model_and_a_served_one_to_itself()
    {
        var models = With(("claude-*", "auto"));

        Assert.Null(models.Resolve("claude-x")!.Model);
        Assert.Equal("llama3.2", models.Resolve("llama3.2")!.Model);
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("claude")]
    [InlineData("xclaude-1")]
    public void A_name_no_alias_matches_is_not_served(string name) => Assert.Null(With(("claude-*", "auto")).Resolve(name));

    [Fact]
    public void An_alias_matches_with_the_ollama_latest_tag()
    {
        Assert.Equal("qwen2.5-coder", With(("coder", "qwen2.5-coder")).Resolve("coder:latest")?.Served);
    }

    [Fact]
    public void The_listing_shows_served_models_then_aliases_with_their_targets()
    {
        var listing = With(("claude-*", "auto"), ("gpt-4o", "LLAMA3.2")).Listing.ToList();

        Assert.Equal(["auto", "llama3.2", "qwen2.5-coder", "gpt-upstream", "gpt-4o", "claude-*"], listing.Select(m => m.Name));
        Assert.Equal(new ServedModel("gpt-4o", "alias", "llama3.2"), listing[4]);
        Assert.Equal(new ServedModel("claude-*", "alias", "auto"), listing[5]);
    }
}
