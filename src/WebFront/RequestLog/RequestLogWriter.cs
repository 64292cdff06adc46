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
    private long _droppedInOutage;
    private int _dropping;

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

    /// <summary>Hands a row to the writer without waiting; false (and counted) when the buffer is full.</summary>
    public bool TryEnqueue(RequestLogRow row)
    {
        if (_buffer.Writer.TryWrite(row)) return true;
        _instruments.RowDropped();
        Interlocked.Increment(ref _droppedInOutage);
        if (Interlocked.Exchange(ref _dropping, 1) == 0) RequestLogLog.Dropping(_logger, _store.Description);
        return false;
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

    /// <summary>A batch: what is buffered now, and what comes within the flush interval, up to the batch size.</summary>
    private async Task FillAsync(List<RequestLogRow> batch, CancellationToken stoppingToken)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        window.CancelAfter(_options.FlushInterval);
        try
        {
            while (batch.Count < _options.BatchSize)
            {
                while (batch.Count < _options.BatchSize && _buffer.Reader.TryRead(out var row)) batch.Add(row);
                if (batch.Count >= _options.BatchSize || !await _buffer.Reader.WaitToReadAsync(window.Token)) break;
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The window closed: write what is there.
        }
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
                await _store.InsertAsync(batch, stoppingToken);
                _instruments.RowsWritten(batch.Count);
                if (failing || Volatile.Read(ref _dropping) == 1) Recovered();
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
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
        if (batch.Count == 0) return;
        using var limit = new CancellationTokenSource(StopFlushLimit);
        try
        {
            foreach (var chunk in batch.Chunk(_options.BatchSize))
            {
                await _store.InsertAsync(chunk, limit.Token);
                _instruments.RowsWritten(chunk.Length);
            }
        }
        catch (Exception)
        {
            RequestLogLog.LostAtStop(_logger, batch.Count);
        }
    }

    private async Task<TimeSpan> PauseAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        await Task.Delay(delay, stoppingToken);
        return TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
    }
}
