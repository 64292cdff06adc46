namespace Router.WebFront.Surfaces.Responses;

internal static partial class ResponsesLog
{
    [LoggerMessage(2701, LogLevel.Warning, "Response {ResponseId} of user {UserId} could not be stored; a continuation of it will not find it")]
    public static partial void NotStored(ILogger logger, Exception exception, string responseId, string userId);

    [LoggerMessage(2702, LogLevel.Warning, "The stored responses of user {UserId} could not be read")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception, string userId);
}
