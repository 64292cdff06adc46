using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;

namespace Router.Grains.Tests.Generation.Pipeline;

/// <summary>
/// A chat client the test drives update by update, for testing a decorator's own logic (it stands in
/// for whatever is below the decorator, not for Ollama). Its stream ends when the test finishes or
/// fails it, or when its token is cancelled: with an exception, or quietly as OllamaSharp does.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Channel<ChatResponseUpdate> _updates = Channel.CreateUnbounded<ChatResponseUpdate>();

    /// <summary>Completes with the token the decorator passed down, once the call reached this client.</summary>
    public TaskCompletionSource<CancellationToken> Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>End the stream without an exception when cancelled.</summary>
    public bool EndsQuietlyWhenCancelled { get; init; }

    public void Send(string text) => _updates.Writer.TryWrite(new ChatResponseUpdate(ChatRole.Assistant, text));

    public void SendRoleOnly() => _updates.Writer.TryWrite(new ChatResponseUpdate { Role = ChatRole.Assistant });

    /// <summary>Sends the final update and ends the stream.</summary>
    public void Finish()
    {
        _updates.Writer.TryWrite(new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop });
        _updates.Writer.TryComplete();
    }

    /// <summary>Ends the stream without a final update.</summary>
    public void EndWithoutFinish() => _updates.Writer.TryComplete();

    public void Fail(Exception exception) => _updates.Writer.TryComplete(exception);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Called.TrySetResult(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await _updates.Reader.WaitToReadAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (EndsQuietlyWhenCancelled)
            {
                more = false;
            }

            if (!more) yield break;
            while (_updates.Reader.TryRead(out var update)) yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
