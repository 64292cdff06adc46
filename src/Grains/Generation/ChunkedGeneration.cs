using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Router.Grains.Generation.Mapping;
using Router.Grains.Generation.Ollama;
using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>
/// One backend answer turned into stream chunks: the backend's updates are read into a channel, and
/// a publisher drains the channel into coalesced chunks. The backend's limits and error codes are its
/// pipeline's (<see cref="ModelBackends.Find(string)"/>) or, for a single Ollama server, the direct
/// reading's (<see cref="ModelBackends.DirectStream"/>); a failure here is already described for the client.
/// Every answer is capped in tokens, bytes and time (<see cref="OutputCaps"/>).
/// </summary>
internal sealed class ChunkedGeneration(GenerationOptions generation, Func<int> running)
{
    private readonly GenerationOptions _generation = generation;

    /// <param name="direct">The direct reading of the model's single Ollama server, when it has one (<see cref="ModelBackends.DirectStream"/>).</param>
    public async Task GenerateAsync(IChatClient backend, BackendKind kind, OllamaAnswerStream? direct, LanePublisher stream, CompletionJob job, GenerationResult result)
    {
        // Bounded: a backend faster than the stream waits here instead of piling the answer up in memory.
        var pieces = Channel.CreateBounded<AnswerPiece>(new BoundedChannelOptions(_generation.ReadAheadPieces)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        // Cancelled with the job, when publishing fails (nobody would read the rest), or at a cap.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(job.Token);
        using var caps = new OutputCaps(_generation, reading);
        var producer = ProduceAsync(backend, kind, direct, job.Spec, caps, pieces.Writer, result);
        try
        {
            await ConsumeAsync(pieces.Reader, stream, job.Spec.Model, result);
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

    /// <summary>
    /// Reads the backend's answer into the channel: a single Ollama server's directly, any other
    /// through its chat client pipeline. Ends the channel with the failure, if any, or normally at a cap.
    /// </summary>
    private static async Task ProduceAsync(
        IChatClient backend, BackendKind kind, OllamaAnswerStream? direct, CompletionJobSpec spec, OutputCaps caps, ChannelWriter<AnswerPiece> writer, GenerationResult result)
    {
        var token = caps.Token;
        var pieces = new AnswerPieceWriter(spec, caps, writer, result);
        try
        {
            result.BackendAsked = true;
            if (direct is not null)
            {
                await direct.ReadAsync(ChatInputMapper.Messages(spec, kind), ChatInputMapper.Options(spec, kind), pieces, token);
            }
            else
            {
                var update = new List<AnswerPiece>();
                await foreach (var next in backend.GetStreamingResponseAsync(ChatInputMapper.Messages(spec, kind), ChatInputMapper.Options(spec, kind), token))
                {
                    update.Clear();
                    AnswerPiece.Read(next, result, update.Add);
                    foreach (var piece in update) await pieces.WriteAsync(piece);

                    // Leaving the loop disposes the backend's response: the backend stops generating.
                    if (pieces.EndOfUpdate()) break;
                }
            }

            await pieces.FlushAsync();
            writer.TryComplete();
        }
        catch (Exception) when (caps.Hit is not null)
        {
            // A cap stopped the backend: the answer ends normally, cut where the cap was.
            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
        }

        if (caps.Hit is { } hit)
        {
            result.FinishReason = "length";
            result.CapHit = hit;
        }
    }

    /// <summary>Publishes what the channel holds, coalesced (<see cref="ChunkCoalescer"/>).</summary>
    private Task ConsumeAsync(ChannelReader<AnswerPiece> reader, LanePublisher stream, string model, GenerationResult result) =>
        new ChunkCoalescer(CoalesceWindow, TimeProvider.System).RunAsync(reader, model, item => PublishAsync(stream, item, result));

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
        }
    }
}
