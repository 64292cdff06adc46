using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Router.WebFront.RequestLog;
using Router.WebFront.Spend;

namespace Router.WebFront.Tests.RequestLog;

/// <summary>The writer and the SQLite store on a real file: what goes in comes back field for field, and a full batch does not wait for the flush interval.</summary>
public sealed class RequestLogWriterTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"router-requests-{Guid.NewGuid():N}.db");
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" }) File.Delete(file);
    }

    [Fact]
    public async Task Every_field_of_a_row_reads_back_as_written_nulls_and_empty_text_included()
    {
        var store = new SqliteRequestLogStore(_path, TimeSpan.FromSeconds(10));
        await store.MigrateAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        RequestLogRow[] rows =
        [
            new(now, "req-full", "openai.chat", "key-1", "user-1", "auto", "llama3.2", "code", 0.875, "small", "needs tools",
                1234, 567, 89, 0.0001234567m, true, "EUR", 61.25, 812, "done", null, "front-a", "S127.0.0.1:11111:1", "4bf92f3577b34da6a3ce929d0e0e4736",
                "a prompt — with ünïcode ✓", ""),
            new(now - 1, "req-bare", "complete", null, null, null, null, null, null, null, null,
                null, null, null, 0m, false, "USD", null, 3, "rejected", "invalid_request", "front-a", null, null),
        ];
        await store.InsertAsync(rows, CancellationToken.None);

        var read = await store.RequestsAsync(new RequestQuery(now - 10, now + 10, 10), CancellationToken.None);
        Assert.Equal(rows, read.Select(r => r.Row));
    }

    [Fact]
    public async Task A_full_batch_is_written_at_once_and_the_writer_reports_it()
    {
        const int BatchSize = 5;
        var options = Microsoft.Extensions.Options.Options.Create(new RequestLogOptions { Path = _path, BatchSize = BatchSize, FlushInterval = TimeSpan.FromHours(1) });
        var instruments = new SpendInstruments(_services.GetRequiredService<IMeterFactory>(), Microsoft.Extensions.Options.Options.Create(new PricingOptions()));
        var store = new SqliteRequestLogStore(_path, TimeSpan.FromSeconds(10));
        using var writer = new RequestLogWriter(store, options, instruments, NullLogger<RequestLogWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            await writer.Ready.WaitAsync(Timeouts.Event);
            var start = writer.Progress;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var i = 0; i < BatchSize; i++)
            {
                Assert.True(writer.TryEnqueue(new RequestLogRow(now, $"req-{i}", "complete", null, "batch-user", null, "llama3.2", null, null, null, null,
                    1, 1, null, 0m, false, "USD", 1, 1, "done", null, "front", null, null)), $"row {i} was taken");
            }

            // The flush interval is an hour: only the full batch's wake-up can write these rows within the wait.
            using var deadline = new CancellationTokenSource(Timeouts.Event);
            for (var seen = writer.Progress; seen.Written < start.Written + BatchSize; seen = writer.Progress)
            {
                try
                {
                    await writer.WhenProgressAsync(seen, deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"the full batch was not written (writer: {writer.Progress})");
                }
            }

            var read = await store.RequestsAsync(new RequestQuery(now - 10, now + 10, 100, UserId: "batch-user"), CancellationToken.None);
            Assert.Equal(Enumerable.Range(0, BatchSize).Select(i => $"req-{i}").Order(), read.Select(r => r.Row.RequestId).Order());
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }
}
