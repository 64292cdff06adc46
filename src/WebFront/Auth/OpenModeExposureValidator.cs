using Microsoft.Extensions.Options;
using Router.WebFront.Hosting;

namespace Router.WebFront.Auth;

/// <summary>
/// Refuses to start in <see cref="AuthMode.Open"/> mode on an address beyond loopback: Open mode
/// trusts whoever connects and lets <c>X-User-Id</c> name any user, which is only safe where every
/// client is trusted. <c>Auth:AllowOpenOnNetwork=true</c> says the network is such a place.
/// </summary>
public sealed class OpenModeExposureValidator(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.Mode != AuthMode.Open || options.AllowOpenOnNetwork) return ValidateOptionsResult.Success;
        var exposed = ListenAddresses.BeyondLoopback(configuration);
        if (exposed.Count == 0) return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(
            $"Auth:Mode is Open and the web front would listen on {string.Join(", ", exposed)}, beyond loopback. Open mode asks for no key " +
            "and lets the X-User-Id header name any user, so anyone who can reach that address could use the models and read any user's session. " +
            "Set Auth:Mode=Keys (with Auth:AdminKey), listen on localhost only, or — on a private network where every client is trusted — " +
            "set Auth:AllowOpenOnNetwork=true.");
    }
}
