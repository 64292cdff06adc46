namespace Router.WebFront.Tests;

internal static class Timeouts
{
    /// <summary>Upper bound for any awaited event; generous, since CI machines are slow and noisy.</summary>
    public static readonly TimeSpan Event = TimeSpan.FromSeconds(20);

    public static CancellationToken Token() => new CancellationTokenSource(Event).Token;
}
