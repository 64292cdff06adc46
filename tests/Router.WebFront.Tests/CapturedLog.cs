using System.Collections.Concurrent;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;

namespace Router.WebFront.Tests;

/// <summary>
/// A Serilog sink that keeps what a router logged, for tests of what the logs say. A fixture turns
/// it on with <c>Serilog:Using:0=Router.WebFront.Tests</c> and <c>Serilog:WriteTo:0:Name=CapturedLog</c>,
/// so the router's own logging configuration path is what writes here.
/// </summary>
public sealed class CapturedLog : ILogEventSink
{
    public static readonly CapturedLog Instance = new();

    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public static void Enable(IDictionary<string, string?> settings)
    {
        settings["Serilog:Using:0"] = typeof(CapturedLog).Assembly.GetName().Name;
        settings["Serilog:WriteTo:0:Name"] = nameof(CapturedLog);
    }
}

public static class CapturedLogSinkExtensions
{
    public static LoggerConfiguration CapturedLog(this LoggerSinkConfiguration sinks) => sinks.Sink(Tests.CapturedLog.Instance);
}
