using System.Globalization;
using Microsoft.Extensions.Options;
using Router.WebFront.Completions;

namespace Router.WebFront.Auth;

/// <summary>
/// Who used the admin API, and how often they may. Every request let in by the admin key is logged
/// under this class's category (route it to an audit sink with <c>Serilog:MinimumLevel:Override</c>)
/// with the admin key's fingerprint and the client address; every change is logged again with its
/// outcome. Each client address may make <c>Auth:AdminRequestsPerMinute</c> requests a minute.
/// </summary>
public sealed partial class AdminAudit(IOptions<AuthOptions> options, ILogger<AdminAudit> logger) : IDisposable
{
    public const string ThrottledCode = "admin_throttled";

    private readonly AddressThrottle _throttle = new(options.Value.AdminRequestsPerMinute, options.Value.AdminRequestsPerMinute);

    /// <summary>The 429 for an address past its admin allowance (with <c>Retry-After</c> set), or null; takes one request of it.</summary>
    public RequestProblem? Throttled(HttpContext context)
    {
        if (_throttle.TryTake(ClientAddress.Of(context))) return null;
        var seconds = _throttle.RetryAfterSeconds;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return new RequestProblem(StatusCodes.Status429TooManyRequests, ThrottledCode, "Too many requests",
            $"Too many admin API requests from this address; retry after {seconds} s.");
    }

    /// <summary>Records a request the admin key let in.</summary>
    public void Admitted(HttpContext context, string adminKey) =>
        LogRequest(logger, context.Request.Method, context.Request.Path.Value ?? "/", ApiKeyMaterial.Fingerprint(adminKey), ClientAddress.Of(context));

    /// <summary>Records a change to a key, with who made it.</summary>
    public void Changed(HttpContext context, string keyId, string action) =>
        LogChange(logger, keyId, action, ApiKeyMaterial.Fingerprint(options.Value.AdminKey ?? ""), ClientAddress.Of(context));

    public void Dispose() => _throttle.Dispose();

    [LoggerMessage(2711, LogLevel.Information, "Admin API {Method} {Path} by admin key {AdminKeyFingerprint} from {ClientAddress}")]
    private static partial void LogRequest(ILogger logger, string method, string path, string adminKeyFingerprint, string clientAddress);

    [LoggerMessage(2712, LogLevel.Information, "Admin API: key {KeyId} {Action} by admin key {AdminKeyFingerprint} from {ClientAddress}")]
    private static partial void LogChange(ILogger logger, string keyId, string action, string adminKeyFingerprint, string clientAddress);
}
