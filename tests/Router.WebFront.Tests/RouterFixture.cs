using Microsoft.AspNetCore.Builder;
using Router.OllamaSimulator;
using Router.Testing;

namespace Router.WebFront.Tests;

/// <summary>
/// One simulator, one classifier stub and one router for a test collection; the router talks to both over
/// real HTTP. The defaults leave every deadline far above what a loaded two-core machine needs, so no test
/// in a shared collection fails because a timeout fired early; a test whose subject is a timeout uses a
/// fixture of its own (<see cref="ShortTimeoutsRouterFixture"/>) where only the deadline it waits for is short.
/// </summary>
/// <remarks>
/// A router with other settings: derive a sealed fixture, override <see cref="Configure"/> (its settings
/// lie over <see cref="DefaultSettings"/>; remove a key to leave the router's own default), and declare a
/// collection for it:
/// <code>
/// public sealed class TinyBufferRouterFixture : RouterFixture
/// {
///     protected override void Configure(IDictionary&lt;string, string?&gt; settings) =&gt; settings["WebFront:MaxBufferedBytes"] = "16384";
/// }
///
/// [CollectionDefinition(Name)]
/// public sealed class TinyBufferRouterCollection : ICollectionFixture&lt;TinyBufferRouterFixture&gt; { public const string Name = "..."; }
/// </code>
/// Each fixture starts a router (a co-hosted silo) of its own, so share one where the settings allow.
/// </remarks>
public class RouterFixture : IAsyncLifetime
{
    /// <summary>A model served by an OpenAI-compatible upstream (the simulator's <c>/v1</c>).</summary>
    public const string UpstreamModel = "coder-upstream";

    public OllamaSimulator.OllamaSimulator Simulator { get; private set; } = null!;

    public ClassifierStub Classifier { get; private set; } = null!;

    public RouterHost Router { get; private set; } = null!;

    public HttpClient Http => Router.Http;

    /// <summary>The settings every fixture starts from, for a router pointed at <paramref name="simulator"/> and <paramref name="classifier"/>.</summary>
    public static Dictionary<string, string?> DefaultSettings(OllamaSimulator.OllamaSimulator simulator, ClassifierStub classifier)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(classifier);
        return new Dictionary<string, string?>
        {
            ["Ollama:BaseUrl"] = simulator.BaseUrl.ToString(),
            // Deadlines sized for a loaded machine: none of them is what a test in a shared collection waits for.
            ["Ollama:IdleTimeout"] = "00:00:30",
            ["Classifier:Url"] = classifier.Url.ToString(),
            ["Classifier:Timeout"] = "00:00:10",
            ["WebFront:BodyReadTimeout"] = "00:00:10",
            ["WebFront:ResumeGrace"] = "00:00:10",
            // Periods, not deadlines: short so keep-alives and lane checks show up quickly.
            ["WebFront:KeepAliveInterval"] = "00:00:00.200",
            ["WebFront:LaneCheckPeriod"] = "00:00:00.200",
            // The simulator's OpenAI-compatible endpoint, as an upstream server of one model.
            ["Upstreams:0:Name"] = UpstreamModel,
            ["Upstreams:0:BaseUrl"] = simulator.OpenAIBaseUrl.ToString(),
            ["Upstreams:0:Model"] = "qwen2.5-coder",
        };
    }

    /// <summary>Changes the settings of this fixture's router; see the remarks of <see cref="RouterFixture"/>.</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    /// <summary>Changes the built application before it starts (its server's options, for one).</summary>
    protected virtual void ConfigureApp(WebApplication app)
    {
    }

    /// <summary>Changes the simulator's settings before it starts (the models it serves, for one).</summary>
    protected virtual void ConfigureSimulator(SimulatorOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        var simulator = new SimulatorOptions { TimeToFirstTokenMs = 20, TokensPerSecond = 200, ResponseTokens = 10 };
        ConfigureSimulator(simulator);
        Simulator = await OllamaSimulator.OllamaSimulator.StartAsync(simulator);
        Classifier = await ClassifierStub.StartAsync();
        var settings = DefaultSettings(Simulator, Classifier);
        Configure(settings);
        Router = await RouterHost.StartAsync(settings, app =>
        {
            TestEndpoints.Map(app);
            ConfigureApp(app);
        });
    }

    public virtual async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await Classifier.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

/// <summary>
/// Short deadlines, for the tests whose subject is one of them firing: a stalled backend (idle timeout),
/// a client that left (resume grace), an answer past its resume window, a body that trickles (body read
/// timeout). The classifier keeps a
/// long deadline: these tests need its answer.
/// </summary>
public sealed class ShortTimeoutsRouterFixture : RouterFixture
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Ollama:IdleTimeout"] = "00:00:02";
        settings["WebFront:ResumeGrace"] = "00:00:01";
        settings["WebFront:BodyReadTimeout"] = "00:00:02";
        settings["WebFront:ResumeWindow"] = "00:00:05";
    }
}

/// <summary>A classifier deadline of one second and no fallback model: a slow classifier is an error.</summary>
public sealed class ClassifierTimeoutRouterFixture : RouterFixture
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Classifier:Timeout"] = "00:00:01";
}

/// <summary>A fallback model for classifier failures (and a one-second classifier deadline), and no management endpoint.</summary>
public sealed class FallbackRouterFixture : RouterFixture
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Classifier:FallbackModel"] = "llama3.2";
        settings["Classifier:Timeout"] = "00:00:01";
        settings["WebFront:ManagementUrl"] = "";
    }
}

/// <summary>
/// A router whose Ollama address refuses connections (a port held bound without listening, so nothing
/// else can take it during the run).
/// </summary>
public sealed class DeadOllamaRouterFixture : RouterFixture
{
    private readonly RefusedPort _ollama = RefusedPort.Reserve();

    /// <summary>The Ollama address nobody listens on.</summary>
    public Uri OllamaUrl => _ollama.Url;

    protected override void Configure(IDictionary<string, string?> settings) => settings["Ollama:BaseUrl"] = OllamaUrl.ToString();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _ollama.Dispose();
    }
}

/// <summary>A router whose classifier service refuses connections, without a fallback model.</summary>
public sealed class DeadClassifierRouterFixture : RouterFixture
{
    private readonly RefusedPort _classifier = RefusedPort.Reserve();

    /// <summary>The classifier address nobody listens on.</summary>
    public Uri ClassifierUrl => new(_classifier.Url, "complete");

    protected override void Configure(IDictionary<string, string?> settings) => settings["Classifier:Url"] = ClassifierUrl.ToString();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _classifier.Dispose();
    }
}

/// <summary>No <c>Classifier:Url</c>: the router classifies with its embedded in-process model.</summary>
public sealed class InProcessClassifierRouterFixture : RouterFixture
{
    protected override void Configure(IDictionary<string, string?> settings) => settings.Remove("Classifier:Url");
}

[CollectionDefinition(Name)]
public sealed class RouterCollection : ICollectionFixture<RouterFixture>
{
    public const string Name = "router";
}

[CollectionDefinition(Name)]
public sealed class ShortTimeoutsRouterCollection : ICollectionFixture<ShortTimeoutsRouterFixture>
{
    public const string Name = "router with short timeouts";
}

[CollectionDefinition(Name)]
public sealed class ClassifierTimeoutRouterCollection : ICollectionFixture<ClassifierTimeoutRouterFixture>
{
    public const string Name = "router with a short classifier timeout";
}

[CollectionDefinition(Name)]
public sealed class FallbackRouterCollection : ICollectionFixture<FallbackRouterFixture>
{
    public const string Name = "router with fallback model";
}

[CollectionDefinition(Name)]
public sealed class DeadOllamaRouterCollection : ICollectionFixture<DeadOllamaRouterFixture>
{
    public const string Name = "router without Ollama";
}

[CollectionDefinition(Name)]
public sealed class DeadClassifierRouterCollection : ICollectionFixture<DeadClassifierRouterFixture>
{
    public const string Name = "router without its classifier service";
}

[CollectionDefinition(Name)]
public sealed class InProcessClassifierRouterCollection : ICollectionFixture<InProcessClassifierRouterFixture>
{
    public const string Name = "router with the in-process classifier";
}
