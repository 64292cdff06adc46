namespace Router.Grains.Interfaces.Console;

/// <summary>
/// One sign-in to the web console, kept in a silo's memory so that every web front of the cluster
/// finds it (a browser behind a load balancer without affinity stays signed in). Keyed by a hash of
/// the session's cookie value, never the value itself. Nothing is persisted: the session holds the
/// key typed at sign-in, which must not reach storage; a restart of the silo holding it signs that
/// browser out.
/// </summary>
public interface IConsoleSessionGrain : IGrainWithStringKey
{
    /// <summary>Starts the session; it ends after <paramref name="idleTimeout"/> without a <see cref="TouchAsync"/>.</summary>
    ValueTask StartAsync(ConsoleSessionGrant grant, TimeSpan idleTimeout, CancellationToken cancellationToken = default);

    /// <summary>The live session, its idle clock reset; null when there is none (never started, ended or idle too long).</summary>
    ValueTask<ConsoleSessionGrant?> TouchAsync(CancellationToken cancellationToken = default);

    /// <summary>Ends the session at once (sign-out): the cookie is worthless on every web front from then on.</summary>
    ValueTask EndAsync(CancellationToken cancellationToken = default);
}

/// <summary>What a console session grants.</summary>
/// <param name="Key">The key typed at sign-in, presented on the console's behalf to the router's own APIs.</param>
/// <param name="IsOperator">True for the admin key; false for an API key's holder.</param>
/// <param name="UserId">The key holder's user (null for the operator).</param>
/// <param name="KeyId">The key holder's key id (null for the operator).</param>
/// <param name="CsrfToken">The token the console's pages send on state-changing calls.</param>
[GenerateSerializer, Immutable, Alias("router.console-session-grant.v1")]
public sealed record ConsoleSessionGrant(
    [property: Id(0)] string Key,
    [property: Id(1)] bool IsOperator,
    [property: Id(2)] string? UserId,
    [property: Id(3)] string? KeyId,
    [property: Id(4)] string CsrfToken)
{
    /// <summary>The key stays out of logs and exception texts.</summary>
    public override string ToString() => $"ConsoleSessionGrant {{ IsOperator = {IsOperator}, UserId = {UserId}, KeyId = {KeyId} }}";
}
