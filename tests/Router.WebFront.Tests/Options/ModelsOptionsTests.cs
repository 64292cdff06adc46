using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Router.Testing;
using Router.WebFront.Hosting;
using Router.WebFront.Options;

namespace Router.WebFront.Tests.Options;

/// <summary>Aliases are checked at start-up against the served models; a bad one names its setting.</summary>
public sealed class ModelsOptionsTests
{
    private static ValidateOptionsResult Validate(string alias, string target)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Ollama:Models:0"] = "llama3.2" }).Build();
        return new ModelsOptionsValidator(configuration).Validate(null, new ModelsOptions { Aliases = { [alias] = target } });
    }

    [Theory]
    [InlineData("claude-*", "auto")]
    [InlineData("gpt-5*", "llama3.2")]
    [InlineData("*", "AUTO")]
    public void Good_aliases_pass(string alias, string target) => Assert.True(Validate(alias, target).Succeeded);

    [Theory]
    [InlineData("claude-*", "qwen9", "Models:Aliases:claude-* targets 'qwen9', which is not served")]
    [InlineData("claude-*", "", "Models:Aliases:claude-* must name a served model or 'auto'")]
    [InlineData("llama3.2", "auto", "Models:Aliases:llama3.2: 'llama3.2' is a served model")]
    [InlineData("auto", "llama3.2", "Models:Aliases:auto: 'auto' is the router's own name")]
    [InlineData("**", "auto", "Models:Aliases:**: an alias needs a name or pattern")]
    public void Bad_aliases_fail_naming_the_setting(string alias, string target, string message)
    {
        var result = Validate(alias, target);

        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage);
    }

    [Fact]
    public async Task An_alias_to_a_model_that_is_not_served_stops_the_start()
    {
        // Held until the test ends: the co-hosted silo takes its address from these before it binds.
        using var ports = SiloPorts.Reserve();
        string[] args =
        [
            "--urls=http://127.0.0.1:0", $"--Orleans:SiloPort={ports.Silo}", $"--Orleans:GatewayPort={ports.Gateway}",
            "--Serilog:MinimumLevel:Default=Warning", "--Models:Aliases:claude-*=nowhere",
        ];
        await using var app = RouterWebApplication.Create(args);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Models:Aliases:claude-* targets 'nowhere'", failure.Message, StringComparison.Ordinal);
    }
}
