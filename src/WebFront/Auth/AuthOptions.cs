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
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
