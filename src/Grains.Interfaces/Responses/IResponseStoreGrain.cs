namespace Router.Grains.Interfaces.Responses;

/// <summary>
/// One stored answer of the Responses API (<c>POST /v1/responses</c> with <c>store: true</c>), keyed
/// by <see cref="KeyOf"/>: the user's id and the response's id, so that another user asking for the
/// same id reaches an empty grain and gets nothing. It keeps what the turn added to the conversation
/// and the response object as the client got it; a continuation (<c>previous_response_id</c>) reads it
/// and its ancestors from any web front.
/// </summary>
public interface IResponseStoreGrain : IGrainWithStringKey
{
    /// <summary>The grain key of <paramref name="responseId"/> for <paramref name="userId"/>.</summary>
    public static string KeyOf(string userId, string responseId) => $"{userId}/{responseId}";

    /// <summary>Keeps <paramref name="response"/> until its <see cref="StoredResponse.ExpiresAt"/>; false when this id is already stored.</summary>
    ValueTask<bool> StoreAsync(StoredResponse response, CancellationToken cancellationToken = default);

    /// <summary>The stored response; null when none was stored under this key, it was deleted, or it expired.</summary>
    ValueTask<StoredResponse?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets the response; false when there was nothing to forget.</summary>
    ValueTask<bool> DeleteAsync(CancellationToken cancellationToken = default);
}
