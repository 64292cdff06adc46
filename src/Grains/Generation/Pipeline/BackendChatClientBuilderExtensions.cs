using Microsoft.Extensions.AI;

namespace Router.Grains.Generation.Pipeline;

/// <summary>Adds the router's backend decorators to a chat client pipeline.</summary>
public static class BackendChatClientBuilderExtensions
{
    /// <summary>Closes the backend connection the moment a call is cancelled; needs <see cref="ConnectionAbortHandler"/> on the backend's HttpClient.</summary>
    public static ChatClientBuilder UseConnectionAbort(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new ConnectionAbortChatClient(inner));
    }

    /// <summary>Ends a call whose first token has not arrived within <paramref name="limit"/>.</summary>
    public static ChatClientBuilder UseFirstTokenTimeout(this ChatClientBuilder builder, TimeSpan limit, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero);
        return builder.Use(inner => new FirstTokenTimeoutChatClient(inner, limit, timeProvider));
    }

    /// <summary>Ends a started answer that stays silent for longer than <paramref name="limit"/>.</summary>
    public static ChatClientBuilder UseIdleTimeout(this ChatClientBuilder builder, TimeSpan limit, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero);
        return builder.Use(inner => new IdleTimeoutChatClient(inner, limit, timeProvider));
    }

    /// <summary>Both silence limits in one step: the first token within <paramref name="firstToken"/>, then no silence longer than <paramref name="idle"/>.</summary>
    public static ChatClientBuilder UseSilenceLimits(this ChatClientBuilder builder, TimeSpan firstToken, TimeSpan idle, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstToken, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idle, TimeSpan.Zero);
        return builder.Use(inner => new WatchdogChatClient(inner, firstToken, idle, timeProvider));
    }

    /// <summary>Turns the backend's failures into the router's error codes, described by <paramref name="describe"/>.</summary>
    public static ChatClientBuilder UseBackendErrors(this ChatClientBuilder builder, BackendErrorDescriber describe)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(describe);
        return builder.Use(inner => new BackendErrorChatClient(inner, describe));
    }
}
