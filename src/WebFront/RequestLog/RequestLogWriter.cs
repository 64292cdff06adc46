using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Router.WebFront.Spend;

namespace Router.WebFront.RequestLog;

/// <summary>
/// Writes the request log off the answers' path: a request's end only puts its row in a bounded
/// buffer (never waiting), and this service writes the buffer in batches. While the database is slow
/// or down, rows wait in the buffer and the batch in hand is retried; when the buffer is full, new
/// rows are dropped, counted (<c>router.request_log.dropped</c>) and logged. Answers never wait on it.
/// </summary>
/// <remarks>
/// A row costs its request little: no task, timer or wake-up of its own. The writer wakes for the
/// first row of a batch, lets the flush interval gather the rest (or is woken early when a batch is
/// full), and writes them through its own connection and prepared insert in one transaction.
/// </remarks>
public sealed class RequestLogWriter : BackgroundService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StopFlushLimit = TimeSpan.FromSeconds(5);

    private readonly RequestLogStore _store;
    private readonly RequestLogOptions _options;
    private readonly SpendInstruments _instruments;
    private readonly ILogger<RequestLogWriter> _logger;
    private readonly Channel<RequestLogRow> _buffer;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RequestLogProgressSignal _progress = new();
    private readonly SemaphoreSlim _batchFull = new(0, 1);
    private RequestLogInserter? _inserter;
    private long _droppedInOutage;
    private int _dropping;

    // Rows in the buffer, kept beside it: the bounded channel's own count takes its lock, once more per row.
    private int _queued;

    public RequestLogWriter(RequestLogStore store, IOptions<RequestLogOptions> options, SpendInstruments instruments, ILogger<RequestLogWriter> logger)
    {
        _store = store;
        _options = options.Value;
        _instruments = instruments;
        _logger = logger;
        _buffer = Channel.CreateBounded<RequestLogRow>(new BoundedChannelOptions(_options.BufferSize)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once, and the row is counted as dropped
            SingleReader = true,
        });
        instruments.Buffered = () => _buffer.Reader.Count;
    }

    /// <summary>The store rows go to; the usage API reads it.</summary>
    public RequestLogStore Store => _store;

    /// <summary>Completes once the schema is in place (the usage API waits for it briefly).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Rows written, rows dropped and cleanups run since start.</summary>
    public RequestLogProgress Progress => _progress.Current;

    /// <summary>
    /// Completes when <see cref="Progress"/> moves past <paramref name="seen"/> (a batch written, a row
    /// dropped, a cleanup run): a reader of the log awaits the writer instead of polling the database.
    /// </summary>
    public Task WhenProgressAsync(RequestLogProgress seen, CancellationToken cancellationToken) => _progress.WhenChangedAsync(seen, cancellationToken);

    /// <summary>Hands a row to the writer without waiting; false (and counted) when the buffer is full.</summary>
    public bool TryEnqueue(RequestLogRow row)
    {
        if (_buffer.Writer.TryWrite(row))
        {
            // Only a full batch wakes the writer before its flush interval; CurrentCount keeps that to one release.
            if (Interlocked.Increment(ref _queued) >= _options.BatchSize && _batchFull.CurrentCount == 0) TryRelease();
            return true;
        }

        _instruments.RowDropped();
        _progress.Dropped();
        Interlocked.Increment(ref _droppedInOutage);
        if (Interlocked.Exchange(ref _dropping, 1) == 0) RequestLogLog.Dropping(_logger, _store.Description);
        return false;
    }

    private void TryRelease()
    {
        try
        {
            _batchFull.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another row's release came first: the writer is woken either way.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await MigrateAsync(stoppingToken)) return;
        var nextCleanup = DateTimeOffset.UtcNow;
        var batch = new List<RequestLogRow>(_options.BatchSize);
        try
        {
            while (await _buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                await FillAsync(batch, stoppingToken);
                await WriteAsync(batch, stoppingToken);
                batch.Clear();
                if (DateTimeOffset.UtcNow >= nextCleanup)
                {
                    await CleanupAsync(stoppingToken);
                    nextCleanup = DateTimeOffset.UtcNow + _options.CleanupInterval;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await FlushAtStopAsync(batch);
    }

    /// <summary>Applies the schema, retrying until the database answers: a web front starts (and answers) without it.</summary>
    private async Task<bool> MigrateAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetryDelay;
        var warned = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _store.MigrateAsync(stoppingToken);
                RequestLogLog.Ready(_logger, _store.Description, _options.Retention.TotalDays);
                _ready.TrySetResult();
                return true;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (!warned) RequestLogLog.MigrationWaiting(_logger, ex, _store.Description);
                warned = true;
                delay = await PauseAsync(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return false;
    }

    /// <summary>
    /// A batch: the first row is in; the rest of the flush interval gathers more, unless the buffer
    /// already holds a full batch. Rows arriving meanwhile only queue: nobody waits on the channel.
    /// </summary>
    private async Task FillAsync(List<RequestLogRow> batch, CancellationToken stoppingToken)
    {
        if (_buffer.Reader.Count < _options.BatchSize) await _batchFull.WaitAsync(_options.FlushInterval, stoppingToken);
        while (batch.Count < _options.BatchSize && _buffer.Reader.TryRead(out var row)) batch.Add(row);
        Interlocked.Add(ref _queued, -batch.Count);
    }

    /// <summary>Writes the batch, retrying with growing pauses while the database fails; only the web front's stop gives up.</summary>
    private async Task WriteAsync(List<RequestLogRow> batch, CancellationToken stoppingToken)
    {
        var delay = FirstRetryDelay;
        var failing = false;
        while (true)
        {
            try
            {
                _inserter ??= await _store.OpenInserterAsync(stoppingToken);
                await _inserter.InsertAsync(batch, stoppingToken);
                _instruments.RowsWritten(batch.Count);
                _progress.Written(batch.Count);
                if (failing || Volatile.Read(ref _dropping) == 1) Recovered();
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                await DropInserterAsync();
                _instruments.WriteFailed();
                if (!failing) RequestLogLog.WriteFailed(_logger, ex, _store.Description, _options.BufferSize);
                failing = true;
                delay = await PauseAsync(delay, stoppingToken);
            }
        }
    }

    private void Recovered()
    {
        var dropped = Interlocked.Exchange(ref _droppedInOutage, 0);
        Volatile.Write(ref _dropping, 0);
        RequestLogLog.Recovered(_logger, _store.Description, dropped);
    }

    private async Task CleanupAsync(CancellationToken stoppingToken)
    {
        try
        {
            var before = DateTimeOffset.UtcNow - _options.Retention;
            var deleted = await _store.DeleteOlderThanAsync(before.ToUnixTimeMilliseconds(), stoppingToken);
            if (deleted > 0) RequestLogLog.Expired(_logger, deleted, _options.Retention.TotalDays);
            _progress.CleanedUp();
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            RequestLogLog.CleanupFailed(_logger, ex);
        }
    }

    /// <summary>At stop, one last write of what is left, bounded in time: rows that cannot be written then are lost, and said so.</summary>
    private async Task FlushAtStopAsync(List<RequestLogRow> batch)
    {
        while (_buffer.Reader.TryRead(out var row)) batch.Add(row);
        using var limit = new CancellationTokenSource(StopFlushLimit);
        try
        {
            foreach (var chunk in batch.Chunk(_options.BatchSize))
            {
                _inserter ??= await _store.OpenInserterAsync(limit.Token);
                await _inserter.InsertAsync(chunk, limit.Token);
                _instruments.RowsWritten(chunk.Length);
                _progress.Written(chunk.Length);
            }
        }
        catch (Exception)
        {
            RequestLogLog.LostAtStop(_logger, batch.Count);
        }
        finally
        {
            await DropInserterAsync();
        }
    }

    /// <summary>Closes the writer's connection (after a failure, or at stop); the next write opens a new one.</summary>
    private async Task DropInserterAsync()
    {
        if (_inserter is null) return;
        var inserter = _inserter;
        _inserter = null;
        try
        {
            await inserter.DisposeAsync();
        }
        catch (Exception ex)
        {
            RequestLogLog.CloseFailed(_logger, ex);
        }
    }

    private async Task<TimeSpan> PauseAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        await Task.Delay(delay, stoppingToken);
        return TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
    }
}
