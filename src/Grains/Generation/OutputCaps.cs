using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>
/// The caps on one answer (<see cref="GenerationOptions.MaxOutputTokens"/>, <see cref="GenerationOptions.MaxOutputBytes"/>,
/// <see cref="GenerationOptions.MaxGenerationTime"/>): the first one reached stops the backend, and the
/// answer ends normally with finish reason <c>length</c>. The token cap is also the backend's own
/// output limit (<see cref="CompletionRunner"/>); counting here holds it against a backend that ignores it.
/// </summary>
internal sealed class OutputCaps : IDisposable
{
    private readonly GenerationOptions _options;
    private readonly CancellationTokenSource _reading;
    private readonly Timer _timer;
    private volatile string? _hit;

    /// <param name="reading">Cancelled to stop the backend; the time cap cancels it when the time is up.</param>
    public OutputCaps(GenerationOptions options, CancellationTokenSource reading)
    {
        _options = options;
        _reading = reading;
        Token = reading.Token;
        // A timer rather than a check per update: a backend that sends nothing at all is stopped too.
        _timer = new Timer(static state => ((OutputCaps)state!).Stop("generation_time"), this, options.MaxGenerationTime, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The backend's token: cancelled by the job, a failed publish or a cap.</summary>
    public CancellationToken Token { get; }

    /// <summary>Which cap stopped the answer (<c>output_tokens</c>, <c>output_bytes</c>, <c>generation_time</c>); null when none did.</summary>
    public string? Hit => _hit;

    /// <summary>True (and the backend stopped) when the answer so far reached a cap.</summary>
    public bool Reached(GenerationResult result)
    {
        if (result.OutputBytes >= _options.MaxOutputBytes) Stop("output_bytes");
        // Beyond, not at: a backend that keeps to its limit ends by itself, with its counts.
        else if (result.Pieces > _options.MaxOutputTokens) Stop("output_tokens");
        return _hit is not null;
    }

    private void Stop(string cap)
    {
        try
        {
            // Already stopped (the client left, a publish failed): that is the reason, not a cap.
            if (_reading.IsCancellationRequested) return;
            _hit ??= cap;
            _reading.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _timer.Dispose();
}
