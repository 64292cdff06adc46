using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Router.Classifier.Service.Hosting;

namespace Router.Classifier.Tests.Service;

/// <summary>The real service on a real Kestrel at 127.0.0.1 on a free port, started once per collection.</summary>
public sealed class ClassifierServiceFixture : IAsyncLifetime
{
    public const int MaxBodyBytes = 256 * 1024;

    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        _app = ClassifierServiceApp.Create(
        [
            "--urls", "http://127.0.0.1:0",
            "--ClassifierService:MaxRequestBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Serilog:MinimumLevel:Default", "Warning",
        ]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClassifierServiceCollection : ICollectionFixture<ClassifierServiceFixture>
{
    public const string Name = "classifier service";
}
