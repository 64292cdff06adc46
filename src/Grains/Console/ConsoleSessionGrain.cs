using Orleans.Concurrency;
using Router.Grains.Interfaces.Console;

namespace Router.Grains.Console;

/// <summary>
/// A console session in memory. Kept active as long as a session may idle (eight hours), so an idle
/// browser is not signed out by the grain's collection; once it ends or idles out it deactivates.
/// </summary>
[CollectionAgeLimit(Hours = 8)]
[Reentrant]
public sealed class ConsoleSessionGrain(TimeProvider clock) : Grain, IConsoleSessionGrain
{
    private ConsoleSessionGrant? _grant;
    private TimeSpan _idleTimeout;
    private DateTimeOffset _lastSeen;

    public ValueTask StartAsync(ConsoleSessionGrant grant, TimeSpan idleTimeout, CancellationToken cancellationToken = default)
    {
        _grant = grant;
        _idleTimeout = idleTimeout;
        _lastSeen = clock.GetUtcNow();
        return ValueTask.CompletedTask;
    }

    public ValueTask<ConsoleSessionGrant?> TouchAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (_grant is not null && now - _lastSeen > _idleTimeout) End();
        if (_grant is null)
        {
            DeactivateOnIdle();
            return ValueTask.FromResult<ConsoleSessionGrant?>(null);
        }

        _lastSeen = now;
        return ValueTask.FromResult<ConsoleSessionGrant?>(_grant);
    }

    public ValueTask EndAsync(CancellationToken cancellationToken = default)
    {
        End();
        DeactivateOnIdle();
        return ValueTask.CompletedTask;
    }

    private void End() => _grant = null;
}
