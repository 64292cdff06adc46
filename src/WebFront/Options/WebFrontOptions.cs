using Microsoft.Extensions.Options;

namespace Router.WebFront.Options;

/// <summary>The web front's own settings (configuration section <c>WebFront</c>).</summary>
public sealed class WebFrontOptions
{
    public const string SectionName = "WebFront";

    /// <summary>The default of <see cref="ManagementUrl"/>: loopback only, Prometheus' customary port.</summary>
    public const string DefaultManagementUrl = "http://127.0.0.1:9464";

    /// <summary>The default of <see cref="BodyReadTimeout"/>.</summary>
    public static readonly TimeSpan DefaultBodyReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary><c>true</c>: host a silo in this process; <c>false</c>: be a client of a cluster.</summary>
    public bool CoHostSilo { get; set; } = true;

    /// <summary>Largest accepted <c>message</c>, in UTF-8 bytes.</summary>
    public int MaxMessageBytes { get; set; } = 32 * 1024;

    /// <summary>Largest accepted request body, in bytes.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Largest accepted chat request body (OpenAI and Ollama surfaces carry the whole conversation), in bytes.</summary>
    public int MaxChatBodyBytes { get; set; } = 1024 * 1024;
    /// <summary>
    /// How long a request body may take to arrive in full. A client that trickles its body holds a
    /// connection and a request slot; past this it gets 408 and the connection is closed.
    /// </summary>
    public TimeSpan BodyReadTimeout { get; set; } = DefaultBodyReadTimeout;

    /// <summary>
    /// Where the management endpoint (<c>/metrics</c>) listens; empty disables it. Keep it off the
    /// public network: it is not authenticated.
    /// </summary>
    public string? ManagementUrl { get; set; } = DefaultManagementUrl;

    /// <summary>How often an SSE comment is sent while no event is due, so proxies keep the stream open.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a stream may carry nothing before the web front ends it with an error. A safety net
    /// above the backend's own timeouts: it fires only if a silo died or a terminal item was lost.
    /// </summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>
    /// On stop (SIGTERM): how long open streams may run on before each is ended with an error
    /// event. New requests are refused with 503 from the moment the stop begins.
    /// </summary>
    public TimeSpan DrainTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the web front reads cluster membership to find lost silos.</summary>
    public TimeSpan SiloWatchPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After a silo is lost, how long an open stream may stay silent before it is ended: its stream
    /// queue may have been on that silo even when its generation was not.
    /// </summary>
    public TimeSpan SiloLossGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Text (in bytes of memory) one request may hold waiting for its client; a client that reads
    /// slower than the model writes past this ends with <c>client_too_slow</c> and its generation stops.
    /// </summary>
    public long MaxBufferedBytes { get; set; } = 1024 * 1024;

    /// <summary>How often the lanes' subscriptions are checked with the pub-sub (and lost ones renewed).</summary>
    public TimeSpan LaneCheckPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after its end an answer of <c>POST /complete</c> can be resumed with
    /// <c>GET /complete/{request_id}</c> and <c>Last-Event-ID</c> (its silo keeps the items that long).
    /// </summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// After a client of <c>POST /complete</c> disconnects, how long its generation goes on so that
    /// a reconnecting client finds it running; if nobody resumes it by then, it is stopped.
    /// </summary>
    public TimeSpan ResumeGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long starting a request on the cluster (routing included) may take before it is given
    /// up and started once more under a new id: a call caught by a silo's death may otherwise wait
    /// out Orleans' 30 s response timeout.
    /// </summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Answers this web front streams at once, over all surfaces and users; past it a request gets
    /// 503 with <c>Retry-After</c>. Each open stream holds up to <see cref="MaxBufferedBytes"/>.
    /// </summary>
    public int MaxConcurrentStreams { get; set; } = 4096;
}

/// <summary>Checks <see cref="WebFrontOptions"/> at start-up.</summary>
public sealed class WebFrontOptionsValidator : IValidateOptions<WebFrontOptions>
{
    public ValidateOptionsResult Validate(string? name, WebFrontOptions options)
    {
        var failures = new List<string>();
        if (options.MaxMessageBytes < 1) failures.Add("WebFront:MaxMessageBytes must be at least 1.");
        if (options.MaxBodyBytes < 16) failures.Add("WebFront:MaxBodyBytes must be at least 16.");
        if (options.MaxChatBodyBytes < 16) failures.Add("WebFront:MaxChatBodyBytes must be at least 16.");
        if (!string.IsNullOrWhiteSpace(options.ManagementUrl)
            && (!Uri.TryCreate(options.ManagementUrl, UriKind.Absolute, out var management) || management.Scheme != Uri.UriSchemeHttp
                || management.AbsolutePath != "/" || !string.IsNullOrEmpty(management.Query)))
        {
            failures.Add($"WebFront:ManagementUrl must be an absolute http URL without a path, like {WebFrontOptions.DefaultManagementUrl}, or empty to disable it (was '{options.ManagementUrl}').");
        }

        if (options.BodyReadTimeout <= TimeSpan.Zero) failures.Add("WebFront:BodyReadTimeout must be positive.");
        if (options.KeepAliveInterval <= TimeSpan.Zero) failures.Add("WebFront:KeepAliveInterval must be positive.");
        if (options.StreamIdleTimeout <= TimeSpan.Zero) failures.Add("WebFront:StreamIdleTimeout must be positive.");
        if (options.DrainTime < TimeSpan.Zero) failures.Add("WebFront:DrainTime must not be negative.");
        if (options.SiloWatchPeriod <= TimeSpan.Zero) failures.Add("WebFront:SiloWatchPeriod must be positive.");
        if (options.SiloLossGrace <= TimeSpan.Zero) failures.Add("WebFront:SiloLossGrace must be positive.");
        if (options.MaxBufferedBytes < 1024) failures.Add("WebFront:MaxBufferedBytes must be at least 1024.");
        if (options.LaneCheckPeriod <= TimeSpan.Zero) failures.Add("WebFront:LaneCheckPeriod must be positive.");
        if (options.ResumeWindow < TimeSpan.Zero) failures.Add("WebFront:ResumeWindow must not be negative.");
        if (options.ResumeGrace < TimeSpan.Zero) failures.Add("WebFront:ResumeGrace must not be negative.");
        if (options.StartTimeout <= TimeSpan.Zero) failures.Add("WebFront:StartTimeout must be positive.");
        if (options.MaxConcurrentStreams < 1) failures.Add("WebFront:MaxConcurrentStreams must be at least 1.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
