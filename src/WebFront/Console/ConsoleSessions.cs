using System.Security.Cryptography;
using System.Text;
using Router.Grains.Interfaces.Console;

namespace Router.WebFront.Console;

/// <summary>Who signed in to the console: the operator (admin key) or the holder of one API key.</summary>
public enum ConsoleRole
{
    Operator,
    KeyHolder,
}

/// <summary>
/// A console sign-in. <see cref="Key"/> is the key typed at sign-in; it stays inside the cluster and
/// is presented on the console's behalf (<see cref="ConsoleGateway"/>), so every call goes through
/// the same checks as a client's and a revoked key stops working in the console at once.
/// </summary>
public sealed record ConsoleSession(string Id, string Key, ConsoleRole Role, string? UserId, string? KeyId, string CsrfToken)
{
    /// <summary>The key stays out of logs and exception texts.</summary>
    public override string ToString() => $"ConsoleSession {{ Role = {Role}, UserId = {UserId}, KeyId = {KeyId} }}";
}

/// <summary>
/// The console's sessions, each in an <see cref="IConsoleSessionGrain"/> in a silo's memory: every
/// web front of the cluster finds a session whichever one made it, and signing out on one ends it on
/// all. Why not an encrypted cookie: signing out then really ends the session (a copied cookie is
/// worthless), and the key never leaves the cluster in any form. The price: a session lives as long
/// as the silo holding it (see docs/console.md).
/// </summary>
public sealed class ConsoleSessions(IClusterClient cluster)
{
    /// <summary>A session unused this long is gone.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    public const string CookieName = "router_console";

    /// <summary>Hex characters of a session id (32 random bytes).</summary>
    private const int IdLength = 64;

    public async Task<ConsoleSession> CreateAsync(string key, ConsoleRole role, string? userId, string? keyId, CancellationToken cancellationToken)
    {
        var session = new ConsoleSession(Token(), key, role, userId, keyId, Token());
        await Grain(session.Id).StartAsync(new ConsoleSessionGrant(key, role == ConsoleRole.Operator, userId, keyId, session.CsrfToken), IdleTimeout, cancellationToken);
        return session;
    }

    /// <summary>The live session named by the request's cookie, its idle clock reset; null when there is none.</summary>
    public async Task<ConsoleSession?> FindAsync(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var id) || !IsWellFormed(id)) return null;
        var grant = await Grain(id).TouchAsync(context.RequestAborted);
        return grant is null ? null
            : new ConsoleSession(id, grant.Key, grant.IsOperator ? ConsoleRole.Operator : ConsoleRole.KeyHolder, grant.UserId, grant.KeyId, grant.CsrfToken);
    }

    public Task EndAsync(ConsoleSession session, CancellationToken cancellationToken) => Grain(session.Id).EndAsync(cancellationToken).AsTask();

    /// <summary>Keyed by a hash of the id: the cookie's value, a bearer secret, never appears as a grain id in the cluster's logs.</summary>
    private IConsoleSessionGrain Grain(string id) =>
        cluster.GetGrain<IConsoleSessionGrain>(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(id))));

    /// <summary>Only ids this class could have made are looked up: a made-up cookie costs no grain call.</summary>
    private static bool IsWellFormed(string? id) => id is { Length: IdLength } && id.All(char.IsAsciiHexDigitLower);

    private static string Token() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
