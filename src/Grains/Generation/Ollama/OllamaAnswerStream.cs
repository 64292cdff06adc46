using Microsoft.Extensions.AI;
using Router.Grains.Generation.Pipeline;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation.Ollama;

/// <summary>
/// A streamed answer of one Ollama server, read into the router's answer pieces in one step, where the
/// chat client pipeline takes six: the request is OllamaSharp's (<see cref="OllamaChatApiClient"/>),
/// the body is parsed where it lies (<see cref="OllamaNdjsonReader"/>), and around the reading loop
/// are the same first-token and idle limits (<see cref="SilenceTimer"/>: no timer touched per line),
/// the same closing of the connection when the call is cancelled, the same error codes
/// (<see cref="BackendErrors.Describe"/>, failures leave as <see cref="BackendFailureException"/>) and
/// the same GenAI span and metrics (<see cref="BackendCallTelemetry"/>).
/// </summary>
/// <remarks>
/// Only a model served by one server reads this way; one with replicas keeps the chat client pipeline,
/// whose failover reads until the first token before it commits to a replica.
/// </remarks>
internal sealed class OllamaAnswerStream(OllamaChatApiClient api, Uri server, TimeSpan firstTokenLimit, TimeSpan idleLimit, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// Reads the whole answer into <paramref name="writer"/>, or until it says to stop (leaving closes
    /// the connection: the backend stops generating). A cancellation of <paramref name="cancellationToken"/>
    /// leaves as an <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task ReadAsync(IEnumerable<ChatMessage> messages, ChatOptions options, AnswerPieceWriter writer, CancellationToken cancellationToken)
    {
        var model = options.ModelId ?? string.Empty;
        using var telemetry = new BackendCallTelemetry(model, server, writer.Result);

        // The call's own source: the caller's token, either limit, or the end of the call cancels it.
        using var call = new CancellationTokenSource();
        using var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), call);
        using var firstToken = new SilenceTimer(_time, call, firstTokenLimit);
        using var idle = new SilenceTimer(_time, call, armFor: null);
        HttpResponseMessage? response = null;
        try
        {
            response = await api.SendChatAsync(messages, options, call.Token).ConfigureAwait(false);

            // Once the headers are in, only the token of each read is watched; a stalled backend sends
            // nothing to read, so the response is disposed: the read fails at once, the connection closes.
            using var abort = call.Token.UnsafeRegister(static state => ((HttpResponseMessage)state!).Dispose(), response);
            var lines = new OllamaNdjsonReader(await response.Content.ReadAsStreamAsync(call.Token).ConfigureAwait(false), api.IncomingJsonSerializerOptions);
            await using (lines.ConfigureAwait(false))
            {
                var started = false;
                var final = false;
                string? error = null;
                while (await lines.ReadAsync(call.Token).ConfigureAwait(false))
                {
                    var line = lines.Current;
                    error ??= line.Error;
                    idle.Arm(idleLimit);
                    if (!started && line.IsToken)
                    {
                        started = true;
                        firstToken.Disarm();
                    }

                    await OllamaAnswerLines.WriteAsync(line, writer).ConfigureAwait(false);
                    final |= line.Final is not null;
                    if (writer.EndOfUpdate()) return;
                }

                // Read to its end after the final object, so the connection goes back to the pool.
                // A mid-stream error is a broken stream, as through the chat client pipeline; its text goes to the log.
                if (!final) throw new IOException($"the backend's stream ended without its final object{(error is null ? "" : $" after its error \"{error}\"")}");
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested)
        {
            // The disposed response surfaces as an I/O error; it is the cancellation the caller asked for.
            telemetry.Failed(ex);
            if (ex is OperationCanceledException) throw;
            throw new OperationCanceledException("The call was cancelled.", ex, cancellationToken);
        }
        catch (Exception ex)
        {
            var failure = !call.IsCancellationRequested ? ex
                : firstToken.Fired ? new ChatTimeoutException(ChatTimeoutKind.FirstToken, firstTokenLimit, ex)
                : new ChatTimeoutException(ChatTimeoutKind.Idle, idleLimit, ex);
            telemetry.Failed(failure);
            throw new BackendFailureException(BackendErrors.Describe(failure, model), failure);
        }
        finally
        {
            response?.Dispose();
        }
    }
}
