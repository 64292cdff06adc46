using System.Text;
using Microsoft.Extensions.Options;
using Router.Grains.Interfaces;
using Router.Grains.Interfaces.Responses;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>The conversation a continuation inherits: every earlier turn's messages, the ids they came from, their size.</summary>
internal sealed record ResponseHistory(IReadOnlyList<ConversationMessage> Messages, IReadOnlyList<string> Ancestors, long Bytes)
{
    public static readonly ResponseHistory Empty = new([], [], 0);
}

/// <summary>
/// Stored responses seen from the web front: reads a conversation back for <c>previous_response_id</c>
/// (the response and all its ancestors at once, for this user only), keeps a finished response, and
/// enforces the chain's bounds (<see cref="ResponsesOptions"/>).
/// </summary>
internal sealed class ResponseChain(IClusterClient cluster, IOptions<ResponsesOptions> options, ILogger<ResponseChain> logger)
{
    private readonly ResponsesOptions _options = options.Value;

    public IResponseStoreGrain Grain(string userId, string responseId) =>
        cluster.GetGrain<IResponseStoreGrain>(IResponseStoreGrain.KeyOf(userId, responseId));

    /// <summary>The conversation up to <paramref name="previousId"/>; a 404 when it is not this user's (or gone), a 400 past the bounds.</summary>
    public async Task<(ResponseHistory? History, ResponsesError? Error)> LoadAsync(string userId, string previousId, long addedBytes, CancellationToken cancellationToken)
    {
        if (await Grain(userId, previousId).GetAsync(cancellationToken) is not { } previous)
        {
            return (null, ResponsesError.NotFound($"Previous response with id '{previousId}' not found.", "previous_response_id"));
        }

        if (previous.Ancestors.Count + 1 >= _options.MaxChainResponses)
        {
            return (null, ResponsesError.Invalid($"The conversation has reached {_options.MaxChainResponses} responses; start a new one.", "previous_response_id", "conversation_too_long"));
        }

        if (previous.ChainBytes + addedBytes > _options.MaxChainBytes)
        {
            return (null, ResponsesError.Invalid($"The conversation would be larger than {_options.MaxChainBytes} bytes; start a new one.", "previous_response_id", "conversation_too_large"));
        }

        var ancestors = await Task.WhenAll(previous.Ancestors.Select(id => Grain(userId, id).GetAsync(cancellationToken).AsTask()));
        if (Array.FindIndex(ancestors, a => a is null) is var missing and >= 0)
        {
            return (null, ResponsesError.NotFound(
                $"Response '{previous.Ancestors[missing]}', part of the conversation of '{previousId}', was deleted or has expired.", "previous_response_id"));
        }

        var messages = ancestors.SelectMany(a => a!.Messages).Concat(previous.Messages).ToList();
        return (new ResponseHistory(messages, [.. previous.Ancestors, previous.Id], previous.ChainBytes), null);
    }

    /// <summary>
    /// Reads a request body and, for a continuation, the conversation it continues: the request, its
    /// history (<see cref="ResponseHistory.Empty"/> for a new conversation) or the error that stops it.
    /// </summary>
    public async Task<(ResponsesRequest? Request, ResponseHistory? History, ResponsesError? Error)> ReadRequestAsync(
        HttpRequest http, string userId, int maxBodyBytes, int maxMessageBytes, CancellationToken cancellationToken)
    {
        var (request, error) = await ResponsesRequestReader.ReadAsync(http, maxBodyBytes, maxMessageBytes, cancellationToken);
        var history = ResponseHistory.Empty;
        if (request?.PreviousResponseId is not { } previous) return (request, history, error);
        try
        {
            (history, error) = await LoadAsync(userId, previous, BytesOf(request.Input), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            ResponsesLog.StoreUnavailable(logger, ex, userId);
            error = ResponsesError.FromProblem(RequestProblems.ClusterUnavailable);
        }

        return (request, history, error);
    }

    /// <summary>Keeps a finished response; a failure to keep it is logged, and the answer still goes out.</summary>
    public async Task SaveAsync(string userId, ResponseDraft draft, ResponseHistory history, byte[] body, CancellationToken cancellationToken)
    {
        IReadOnlyList<ConversationMessage> turn = [.. draft.Request.Input, draft.AsMessage()];
        var now = DateTimeOffset.UtcNow;
        var stored = new StoredResponse(draft.Id, now, now + _options.Retention, history.Ancestors, turn,
            history.Bytes + BytesOf(turn), Encoding.UTF8.GetString(body));
        try
        {
            await Grain(userId, draft.Id).StoreAsync(stored, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            ResponsesLog.NotStored(logger, ex, draft.Id, userId);
        }
    }

    /// <summary>The bytes a conversation's messages hold: text, arguments, image bytes and addresses.</summary>
    public static long BytesOf(IEnumerable<ConversationMessage> messages)
    {
        long bytes = 0;
        foreach (var part in messages.SelectMany(m => m.Parts))
        {
            bytes += Encoding.UTF8.GetByteCount(part.Text ?? "") + Encoding.UTF8.GetByteCount(part.Arguments ?? "")
                + (part.Data?.Length ?? 0) + (part.Uri?.Length ?? 0) + (part.Name?.Length ?? 0) + (part.CallId?.Length ?? 0);
        }

        return bytes;
    }
}
