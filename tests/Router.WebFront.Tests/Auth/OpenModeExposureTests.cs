using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Router.Testing;
using Router.WebFront.Auth;
using Router.WebFront.Hosting;

namespace Router.WebFront.Tests.Auth;

/// <summary>Open mode trusts whoever connects: it starts beyond loopback only when a setting says the network is trusted.</summary>
public sealed class OpenModeExposureTests
{
    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://+:0")]
    public async Task Open_mode_on_a_network_address_fails_the_start_saying_why(string url)
    {
        // Held until the test ends: the co-hosted silo takes its address from these before it binds.
        using var ports = SiloPorts.Reserve();
        await using var app = RouterWebApplication.Create(
        [
            $"--urls={url}", $"--Orleans:SiloPort={ports.Silo}", $"--Orleans:GatewayPort={ports.Gateway}",
            "--Serilog:MinimumLevel:Default=Warning",
        ]);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Auth:Mode is Open", failure.Message, StringComparison.Ordinal);
        Assert.Contains(url, failure.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:AllowOpenOnNetwork=true", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:8080", "Open", null, true)]
    [InlineData("http://127.0.0.1:8080;http://[::1]:8080", "Open", null, true)]
    [InlineData("http://0.0.0.0:8080", "Open", null, false)]
    [InlineData("http://router.example:8080", "Open", null, false)]
    [InlineData("http://127.0.0.1:8080;http://*:8081", "Open", null, false)]
    [InlineData("http://0.0.0.0:8080", "Open", "true", true)]
    [InlineData("http://0.0.0.0:8080", "Keys", null, true)]
    public void Only_open_mode_beyond_loopback_without_the_setting_is_refused(string urls, string mode, string? allow, bool valid)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();
        var options = new AuthOptions { Mode = Enum.Parse<AuthMode>(mode), AllowOpenOnNetwork = allow == "true" };

        var result = new OpenModeExposureValidator(configuration).Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
    }

    [Fact]
    public void Kestrel_endpoints_are_what_counts_when_they_are_set()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://localhost:8080",
            ["Kestrel:Endpoints:Public:Url"] = "http://0.0.0.0:8443",
        }).Build();

        Assert.Equal(["http://0.0.0.0:8443"], ListenAddresses.BeyondLoopback(configuration));
    }
}
