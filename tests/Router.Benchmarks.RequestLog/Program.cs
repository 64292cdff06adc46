using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Router.WebFront.RequestLog;
using Router.WebFront.Spend;

// What the request log costs its process per row, apart from everything else a request does: bursts of
// rows handed to the real writer (SQLite, a fresh file) with pauses between them, as the web front's
// requests end, against the same loop handing none. The process's CPU (utime + stime) and allocations
// over the measured rounds, less the empty loop's, per row.
//
//   dotnet run -c Release --project tests/Router.Benchmarks.RequestLog -- [rounds] [burst] [pause ms] [repeats]
var rounds = Arg(0, 60);
var burst = Arg(1, 50);
var pause = TimeSpan.FromMilliseconds(Arg(2, 250));
var repeats = Arg(3, 3);

for (var repeat = 1; repeat <= repeats; repeat++)
{
    var off = await MeasureAsync(log: false);
    var on = await MeasureAsync(log: true);
    var rows = rounds * burst;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"repeat {repeat}: {rounds} bursts of {burst}, {pause.TotalMilliseconds} ms apart: log off {off.CpuMs:0} ms CPU, log on {on.CpuMs:0} ms; " +
        $"the log's cost per row {(on.CpuMs - off.CpuMs) * 1000 / rows:0.0} µs CPU, {(on.Allocated - off.Allocated) / (double)rows:0} bytes allocated"));
}

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

async Task<(double CpuMs, long Allocated)> MeasureAsync(bool log)
{
    var path = Path.Combine(Path.GetTempPath(), $"router-logbench-{Guid.NewGuid():N}.db");
    using var meters = new Meters();
    var options = Microsoft.Extensions.Options.Options.Create(new RequestLogOptions { Path = path });
    var instruments = new SpendInstruments(meters, Microsoft.Extensions.Options.Options.Create(new PricingOptions()));
    var store = new SqliteRequestLogStore(path, options.Value.CommandTimeout);
    using var writer = new RequestLogWriter(store, options, instruments, NullLogger<RequestLogWriter>.Instance);
    await writer.StartAsync(CancellationToken.None);
    await writer.Ready;
    try
    {
        // Warm-up: the same work first, so what is measured runs jitted and tiered up.
        await RunAsync(writer, log, 20);
        await WrittenAsync(writer, log ? 20L * burst : 0);
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        await RunAsync(writer, log, rounds);
        await WrittenAsync(writer, log ? (20L + rounds) * burst : 0); // the last batch is written within the measure
        process.Refresh();
        return ((process.TotalProcessorTime - cpu0).TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: true) - allocated0);
    }
    finally
    {
        await writer.StopAsync(CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
    }
}

// Until the writer has written (or dropped) every row handed to it: it says so as each batch lands.
static async Task WrittenAsync(RequestLogWriter writer, long rows)
{
    using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
    var seen = writer.Progress;
    while (seen.Written + seen.Dropped < rows)
    {
        await writer.WhenProgressAsync(seen, limit.Token);
        seen = writer.Progress;
    }
}

async Task RunAsync(RequestLogWriter writer, bool log, int count)
{
    for (var round = 0; round < count; round++)
    {
        if (log)
        {
            for (var i = 0; i < burst; i++) writer.TryEnqueue(Row(i));
        }

        await Task.Delay(pause);
    }
}

// A row as a finished streamed request leaves it (see RequestAccounting): its strings made per request.
static RequestLogRow Row(int i) => new(
    DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Guid.NewGuid().ToString(), "complete", null, $"user-{i:D4}", null, "llama3.2",
    "chat", 0.93, "small", null, 25, 10, null, 0.0000123m, false, "USD", 61.5, 520, "done", null, "bench/1", "S127.0.0.1:11111:1",
    ActivityTraceId.CreateRandom().ToHexString());

/// <summary>Meters for the writer's instruments, with no listener: the web front's case when nothing scrapes.</summary>
internal sealed class Meters : System.Diagnostics.Metrics.IMeterFactory
{
    private readonly List<System.Diagnostics.Metrics.Meter> _meters = [];

    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
    {
        var meter = new System.Diagnostics.Metrics.Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
