using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Router.OllamaSimulator.Hosting;

namespace Router.OllamaSimulator;

/// <summary>
/// An in-process simulator on a free loopback port, for tests: start it, point an Ollama client at
/// <see cref="BaseUrl"/> (or an OpenAI client at <see cref="OpenAIBaseUrl"/>), await outcomes through <see cref="Journal"/>, dispose it.
/// </summary>
public sealed class OllamaSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OllamaSimulator(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Journal = app.Services.GetRequiredService<SimulatorJournal>();
        Holds = app.Services.GetRequiredService<SimulatorHolds>();
        Options = app.Services.GetRequiredService<SimulatorOptions>();
    }

    /// <summary>Where the simulator listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The API root to give an OpenAI client (its <c>chat/completions</c> and <c>models</c> live under it), e.g. <c>http://127.0.0.1:41234/v1</c>.</summary>
    public Uri OpenAIBaseUrl => new(BaseUrl, "v1");

    public SimulatorJournal Journal { get; }

    /// <summary>Answers marked <c>[[sim:hold=NAME]]</c> wait here until the test releases NAME.</summary>
    public SimulatorHolds Holds { get; }

    /// <summary>The live global options; changes apply to requests that start afterwards.</summary>
    public SimulatorOptions Options { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a simulator on <c>http://127.0.0.1:0</c>; <paramref name="options"/> (copied) replaces the defaults.</summary>
    public static Task<OllamaSimulator> StartAsync(SimulatorOptions? options = null, CancellationToken cancellationToken = default) =>
        StartOnAsync(new Uri("http://127.0.0.1:0"), options, cancellationToken);

    /// <summary>Starts a simulator on <paramref name="url"/>, e.g. where one that was stopped listened, to bring a server back.</summary>
    public static async Task<OllamaSimulator> StartOnAsync(Uri url, SimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var app = SimulatorApp.Build(
            ["--urls", url.GetLeftPart(UriPartial.Authority)],
            options is null ? null : options.CopyTo);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new OllamaSimulator(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>Changes the live options, e.g. <c>sim.Configure(o => o.TokensPerSecond = 0)</c>.</summary>
    public void Configure(Action<SimulatorOptions> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        change(Options);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
