using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Router.Grains.Diagnostics;
using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>
/// One backend answer turned into stream chunks: the backend's updates are read into a channel
/// (with first-token and idle watchdogs), and a publisher drains the channel into coalesced chunks.
/// </summary>
internal sealed class ChunkedGeneration(GenerationOptions generation, OllamaOptions ollama, RouterInstruments instruments, Func<int> running)
{
    private readonly GenerationOptions _generation = generation;
    private readonly OllamaOptions _ollama = ollama;

    public async Task GenerateAsync(IChatClient backend, LanePublisher stream, CompletionJob job, GenerationResult result)
    {
        var spec = job.Spec;
        var tokens = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(job.Token);

        // Replicas get a first-token limit each; this one then covers all of their tries.
        var firstToken = backend.GetService<ReplicaFailoverChatClient>()?.FirstTokenDeadline ?? _ollama.FirstTokenTimeout;
        watchdog.CancelAfter(firstToken);

        var producer = ProduceAsync(backend, job, watchdog, firstToken, tokens.Writer, result);
        try
        {
            await ConsumeAsync(tokens.Reader, stream, spec.Model, result);
        }
        catch (StreamPublishException)
        {
            result.PublishFailed = true;
            await watchdog.CancelAsync();
            throw;
        }
        finally
        {
            await producer;
        }
    }

    /// <summary>Reads the backend's updates into the channel; ends it with the failure, if any.</summary>
    private async Task ProduceAsync(
        IChatClient backend, CompletionJob job, CancellationTokenSource watchdog, TimeSpan firstToken, ChannelWriter<string> writer, GenerationResult result)
    {
        var spec = job.Spec;
        var sawFinal = false;
        var sawToken = false;
        try
        {
            var options = BuildOptions(spec);
            await foreach (var update in backend.GetStreamingResponseAsync(BuildMessages(spec), options, watchdog.Token))
            {
                watchdog.CancelAfter(_ollama.IdleTimeout);
                var text = update.Text;
                if (text.Length > 0)
                {
                    if (!sawToken) result.FirstTokenMs = Stopwatch.GetElapsedTime(result.Started).TotalMilliseconds;
                    sawToken = true;
                    result.Text.Append(text);
                    writer.TryWrite(text);
                }

                foreach (var content in update.Contents)
                {
                    if (content is UsageContent usage)
                    {
                        result.PromptTokens = usage.Details.InputTokenCount;
                        result.OutputTokens = usage.Details.OutputTokenCount;
                        sawFinal = true;
                    }
                }

                sawFinal |= update.FinishReason is not null;
            }

            // OllamaSharp ends its loop quietly on cancellation, so a quiet end must be checked.
            watchdog.Token.ThrowIfCancellationRequested();
            if (!sawFinal)
            {
                throw new IOException("the backend's stream ended without its final object");
            }

            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(Reclassify(ex, backend, job, watchdog, firstToken, result, sawToken));
        }
    }

    private Exception Reclassify(
        Exception ex, IChatClient backend, CompletionJob job, CancellationTokenSource watchdog, TimeSpan firstToken, GenerationResult result, bool sawToken)
    {
        if (job.Token.IsCancellationRequested || result.PublishFailed)
        {
            return ex;
        }

        // Upstream failures are described here, where the backend is known, so the runner needs no upstream cases.
        var upstream = backend.GetService<UpstreamModelChatClient>();
        if (!watchdog.IsCancellationRequested)
        {
            return upstream is null ? ex : new BackendFailureException(BackendErrors.DescribeUpstream(ex, job.Spec.Model), ex);
        }

        if (upstream is not null)
        {
            var what = sawToken
                ? $"stalled: no token for {_ollama.IdleTimeout.TotalSeconds:0.#} s"
                : $"sent no token within {firstToken.TotalSeconds:0.#} s";
            return new BackendFailureException(BackendErrors.UpstreamTimeout(job.Spec.Model, what), ex);
        }

        return sawToken
            ? new BackendTimeoutException($"The Ollama stream stalled: no token for {_ollama.IdleTimeout.TotalSeconds:0.#} s.")
            : new BackendTimeoutException($"Ollama sent no token within {firstToken.TotalSeconds:0.#} s.");
    }

    /// <summary>
    /// Publishes what the channel holds. Tokens that queue up while a publish is in flight go out
    /// together in the next chunk, so chunks grow with load; after the first chunk a short window
    /// gathers tokens that arrive within a few milliseconds of each other.
    /// </summary>
    private async Task ConsumeAsync(ChannelReader<string> reader, LanePublisher stream, string model, GenerationResult result)
    {
        var chunk = new StringBuilder();
        var first = true;
        while (await reader.WaitToReadAsync())
        {
            if (!first && CoalesceWindow() is { } window && window > TimeSpan.Zero)
            {
                await Task.Delay(window);
            }

            chunk.Clear();
            while (reader.TryRead(out var token))
            {
                chunk.Append(token);
            }

            if (chunk.Length == 0) continue;
            await PublishAsync(stream, CompletionEvent.Chunk(model, chunk.ToString()), result);
            first = false;
        }
    }

    /// <summary>
    /// The gathering window grows with the number of generations running on this silo, from
    /// <see cref="GenerationOptions.CoalesceWindow"/> when few run to <see cref="GenerationOptions.MaxCoalesceWindow"/>
    /// at <see cref="GenerationOptions.BusyGenerations"/>: fast models then send fewer, larger chunks
    /// exactly when the stream queues are busiest.
    /// </summary>
    private TimeSpan CoalesceWindow()
    {
        var min = _generation.CoalesceWindow;
        var max = _generation.MaxCoalesceWindow;
        if (max <= min) return min;
        var load = Math.Min(1.0, running() / (double)_generation.BusyGenerations);
        return min + (max - min) * load;
    }

    public async Task PublishAsync(LanePublisher stream, CompletionEvent item, GenerationResult result)
    {
        try
        {
            await stream.PublishAsync(item);
        }
        catch (Exception ex)
        {
            throw new StreamPublishException(ex);
        }

        if (item.Kind == CompletionEventKind.Token)
        {
            if (result.Chunks++ == 0) result.FirstChunkMs = Stopwatch.GetElapsedTime(result.Started).TotalMilliseconds;
            instruments.ChunkPublished(item.Model);
        }
    }

    private static ChatOptions BuildOptions(CompletionJobSpec spec)
    {
        var options = new ChatOptions { ModelId = spec.Model };
        if (spec.Settings is { } settings)
        {
            options.Temperature = settings.Temperature;
            options.TopP = settings.TopP;
            options.MaxOutputTokens = settings.MaxTokens;
            options.Seed = settings.Seed;
            if (settings.Stop is { Count: > 0 } stop) options.StopSequences = [.. stop];
        }

        return options;
    }

    private static List<ChatMessage> BuildMessages(CompletionJobSpec spec)
    {
        var messages = new List<ChatMessage>(spec.History.Count + 1);
        foreach (var turn in spec.History)
        {
            messages.Add(new ChatMessage(new ChatRole(turn.Role), turn.Content));
        }

        messages.Add(new ChatMessage(ChatRole.User, spec.Message));
        return messages;
    }
}
