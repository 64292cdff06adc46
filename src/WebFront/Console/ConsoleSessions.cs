using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Router.WebFront.Console;

/// <summary>Who signed in to the console: the operator (admin key) or the holder of one API key.</summary>
public enum ConsoleRole
{
    Operator,
    KeyHolder,
}

/// <summary>
/// A console sign-in. <see cref="Key"/> is the key typed at sign-in; it stays in this process and is
/// presented on the console's behalf (<see cref="ConsoleGateway"/>), so every call goes through the
/// same checks as a client's and a revoked key stops working in the console at once.
/// </summary>
public sealed record ConsoleSession(string Id, string Key, ConsoleRole Role, string? UserId, string? KeyId, string CsrfToken)
{
    public long LastSeenMs { get; set; }
}

/// <summary>
/// The console's sessions, in this web front's memory. Why not an encrypted cookie: signing out then
/// really ends the session (a copied cookie is worthless), and the key never leaves the server in
/// any form. The price: a session lives on the web front that made it (see docs/console.md).
/// </summary>
public sealed class ConsoleSessions(TimeProvider clock)
{
    /// <summary>A session unused this long is gone.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    /// <summary>Bounds memory: past it the sessions idle longest make room.</summary>
    public const int MaxSessions = 10_000;

    public const string CookieName = "router_console";

    private readonly ConcurrentDictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);

    public ConsoleSession Create(string key, ConsoleRole role, string? userId, string? keyId)
    {
        Prune();
        var session = new ConsoleSession(Token(), key, role, userId, keyId, Token()) { LastSeenMs = Now() };
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The live session named by the request's cookie, its idle clock reset; null when there is none.</summary>
    public ConsoleSession? Find(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var id) || string.IsNullOrEmpty(id)) return null;
        if (!_sessions.TryGetValue(id, out var session)) return null;
        if (Now() - session.LastSeenMs > (long)IdleTimeout.TotalMilliseconds)
        {
            _sessions.TryRemove(id, out _);
            return null;
        }

        session.LastSeenMs = Now();
        return session;
    }

    public void End(ConsoleSession session) => _sessions.TryRemove(session.Id, out _);

    private void Prune()
    {
        if (_sessions.Count < MaxSessions) return;
        var cutoff = Now() - (long)IdleTimeout.TotalMilliseconds;
        foreach (var stale in _sessions.Values.Where(s => s.LastSeenMs < cutoff)) _sessions.TryRemove(stale.Id, out _);
        foreach (var oldest in _sessions.Values.OrderBy(s => s.LastSeenMs).Take(_sessions.Count - MaxSessions + 1)) _sessions.TryRemove(oldest.Id, out _);
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static string Token() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
