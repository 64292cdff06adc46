namespace Router.Hosting;

/// <summary>
/// The token of a wait that ends after a timeout or when either of two tokens fires, for a loop that
/// waits again and again (a reader waiting for its next item). One linked source is re-armed for
/// every wait and replaced only once it fired or the tokens changed, so a wait that ends with data
/// costs no new timer or registration. Not thread-safe: one loop owns it.
/// </summary>
public sealed class RearmedTimeout : IDisposable
{
    private CancellationTokenSource? _source;
    private CancellationToken _first;
    private CancellationToken _second;

    /// <summary>A token that fires <paramref name="after"/> from now, or with <paramref name="first"/> or <paramref name="second"/>.</summary>
    public CancellationToken Arm(TimeSpan after, CancellationToken first, CancellationToken second)
    {
        if (_source is null || _source.IsCancellationRequested || first != _first || second != _second)
        {
            _source?.Dispose();
            _source = CancellationTokenSource.CreateLinkedTokenSource(first, second);
            _first = first;
            _second = second;
        }

        _source.CancelAfter(after);
        return _source.Token;
    }

    /// <summary>Drops the source and its registrations; the next <see cref="Arm"/> makes a new one.</summary>
    public void Dispose()
    {
        _source?.Dispose();
        _source = null;
    }
}
