using Microsoft.Extensions.Options;

namespace Router.WebFront.Auth;

/// <summary>Who may use the router.</summary>
public enum AuthMode
{
    /// <summary>Anyone who can reach the router is trusted; the <c>X-User-Id</c> header names the user.</summary>
    Open,

    /// <summary>Every request needs an API key (<c>Authorization: Bearer</c> or <c>x-api-key</c>); the key names the user.</summary>
    Keys,
}

/// <summary>Authentication and limits (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.Open;

    /// <summary>Guards <c>/admin/*</c>; required in <see cref="AuthMode.Keys"/> mode. Without it the admin API is off.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Tokens a request reserves against its key's token limits when it names no <c>max_tokens</c>.</summary>
    public int DefaultTokenReservation { get; set; } = 1024;

    /// <summary>A stream slot not released within this time is given back anyway (its web front died).</summary>
    public TimeSpan StreamLeaseTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Whether keys of the format issued before keys carried a check (<c>rk_</c> and 43 characters)
    /// are still looked up. Off by default: such a key cannot be told from a made-up one without a
    /// lookup. Turn it on only while replacing old keys (create a new key per user, revoke the old).
    /// </summary>
    public bool AcceptLegacyKeys { get; set; }

    /// <summary>
    /// Failed authentications (no key, a malformed, unknown or revoked key, a wrong admin key) one
    /// client address may have in a burst; past it, that address gets 429 without any lookup.
    /// </summary>
    public int FailedAuthBurst { get; set; } = 20;

    /// <summary>How many failed authentications per minute an address gets back after its burst is spent.</summary>
    public int FailedAuthPerMinute { get; set; } = 30;

    /// <summary>How many unknown or revoked key hashes each web front remembers, so a repeated bad key costs no lookup.</summary>
    public int UnknownKeyCacheSize { get; set; } = 10_000;

    /// <summary>How long an unknown key hash is remembered.</summary>
    public TimeSpan UnknownKeyCacheTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Failed authentications are logged at Warning at most once per this interval (each line counts those since the last).</summary>
    public TimeSpan FailureLogInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Open mode trusts anyone who can reach the router. It starts on a non-loopback address only
    /// when this is true (a private network whose every client is trusted).
    /// </summary>
    public bool AllowOpenOnNetwork { get; set; }

    /// <summary>Admin API requests one client address may make per minute (a burst of as many); past it, 429.</summary>
    public int AdminRequestsPerMinute { get; set; } = 120;
}

/// <summary>Checks <see cref="AuthOptions"/> at start-up.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public const int MinAdminKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode)) failures.Add("Auth:Mode must be Open or Keys.");
        if (options.Mode == AuthMode.Keys && string.IsNullOrEmpty(options.AdminKey))
        {
            failures.Add("Auth:AdminKey is required when Auth:Mode is Keys.");
        }

        if (options.AdminKey is { Length: > 0 } admin && (admin.Length < MinAdminKeyLength || admin.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            failures.Add($"Auth:AdminKey must be at least {MinAdminKeyLength} characters, without spaces or control characters.");
        }

        if (options.DefaultTokenReservation < 1) failures.Add("Auth:DefaultTokenReservation must be at least 1.");
        if (options.StreamLeaseTimeout <= TimeSpan.Zero) failures.Add("Auth:StreamLeaseTimeout must be positive.");
        if (options.FailedAuthBurst < 1) failures.Add("Auth:FailedAuthBurst must be at least 1.");
        if (options.FailedAuthPerMinute < 1) failures.Add("Auth:FailedAuthPerMinute must be at least 1.");
        if (options.UnknownKeyCacheSize < 0) failures.Add("Auth:UnknownKeyCacheSize must not be negative.");
        if (options.UnknownKeyCacheTime < TimeSpan.Zero) failures.Add("Auth:UnknownKeyCacheTime must not be negative.");
        if (options.FailureLogInterval < TimeSpan.Zero) failures.Add("Auth:FailureLogInterval must not be negative.");
        if (options.AdminRequestsPerMinute < 1) failures.Add("Auth:AdminRequestsPerMinute must be at least 1.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
