using Microsoft.Extensions.Options;
using Router.Testing;
using Router.WebFront.Hosting;

namespace Router.WebFront.Tests.Auth;

/// <summary>A bad Auth setting stops the router at start, naming the setting.</summary>
public sealed class AuthStartupTests
{
    [Theory]
    [InlineData("Keys", null, "Auth:AdminKey is required")]
    [InlineData("Keys", "short", "Auth:AdminKey must be at least 16 characters")]
    [InlineData("Open", "has a space in it, long enough", "Auth:AdminKey must be at least 16 characters")]
    public async Task A_bad_setting_fails_the_start(string mode, string? adminKey, string message)
    {
        // Held until the test ends: the co-hosted silo takes its address from these before it binds.
        using var ports = SiloPorts.Reserve();
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0", $"--Orleans:SiloPort={ports.Silo}", $"--Orleans:GatewayPort={ports.Gateway}",
            "--Serilog:MinimumLevel:Default=Warning", $"--Auth:Mode={mode}",
        };
        if (adminKey is not null) args.Add($"--Auth:AdminKey={adminKey}");
        await using var app = RouterWebApplication.Create([.. args]);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_mode_fails_the_start_naming_the_setting()
    {
        // Held until the test ends: the co-hosted silo takes its address from these before it binds.
        using var ports = SiloPorts.Reserve();
        await using var app = RouterWebApplication.Create(
        [
            "--urls=http://127.0.0.1:0", $"--Orleans:SiloPort={ports.Silo}", $"--Orleans:GatewayPort={ports.Gateway}",
            "--Serilog:MinimumLevel:Default=Warning", "--Auth:Mode=Key",
        ]);

        var failure = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("Auth:Mode", failure.Message, StringComparison.Ordinal);
    }
}
