using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Router.Grains.Diagnostics;
using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>
/// One backend answer turned into stream chunks: the backend's updates are read into a channel, and
/// a publisher drains the channel into coalesced chunks. The backend's limits and error codes are its
/// pipeline's (<see cref="ModelBackends.Find"/>); a failure here is already described for the client.
/// </summary>
internal sealed class ChunkedGeneration(GenerationOptions generation, RouterInstruments instruments, Func<int> running)
{
    private readonly GenerationOptions _generation = generation;

    public async Task GenerateAsync(IChatClient backend, LanePublisher stream, CompletionJob job, GenerationResult result)
    {
        var tokens = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        // Cancelled with the job, or when publishing fails: nobody would read the rest of the answer.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(job.Token);
        var producer = ProduceAsync(backend, job.Spec, reading.Token, tokens.Writer, result);
        try
        {
            await ConsumeAsync(tokens.Reader, stream, job.Spec.Model, result);
        }
        catch (StreamPublishException)
        {
            await reading.CancelAsync();
            throw;
        }
        finally
        {
            await producer;
        }
    }

    /// <summary>Reads the backend's updates into the channel; ends it with the failure, if any.</summary>
    private static async Task ProduceAsync(IChatClient backend, CompletionJobSpec spec, CancellationToken token, ChannelWriter<string> writer, GenerationResult result)
    {
        try
        {
            await foreach (var update in backend.GetStreamingResponseAsync(BuildMessages(spec), BuildOptions(spec), token))
            {
                var text = update.Text;
                if (text.Length > 0)
                {
                    result.FirstTokenMs ??= Stopwatch.GetElapsedTime(result.Started).TotalMilliseconds;
                    result.Text.Append(text);
                    writer.TryWrite(text);
                }

                foreach (var content in update.Contents)
                {
                    if (content is UsageContent usage)
                    {
                        result.PromptTokens = usage.Details.InputTokenCount;
                        result.OutputTokens = usage.Details.OutputTokenCount;
                    }
                }
            }

            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
        }
    }

    /// <summary>
    /// Publishes what the channel holds. Tokens that queue up while a publish is in flight go out
    /// together in the next chunk, so chunks grow with load. After the first chunk, chunks are at
    /// least a window apart: a token that comes sooner waits out the rest of the window and gathers
    /// those behind it; a token that comes later (a model slower than the window) goes out at once,
    /// with no timer and no added delay.
    /// </summary>
    private async Task ConsumeAsync(ChannelReader<string> reader, LanePublisher stream, string model, GenerationResult result)
    {
        var chunk = new StringBuilder();
        var first = true;
        var lastPublished = 0L;
        while (await reader.WaitToReadAsync())
        {
            if (!first && CoalesceWindow() - Stopwatch.GetElapsedTime(lastPublished) is var rest && rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }

            chunk.Clear();
            while (reader.TryRead(out var token))
            {
                chunk.Append(token);
            }

            if (chunk.Length == 0) continue;
            await PublishAsync(stream, CompletionEvent.Chunk(model, chunk.ToString()), result);
            lastPublished = Stopwatch.GetTimestamp();
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
