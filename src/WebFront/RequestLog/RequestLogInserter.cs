namespace Router.WebFront.RequestLog;

/// <summary>
/// The writer's own connection to the request log, kept open across batches with its insert
/// statement prepared once: a batch costs its rows, not a connection, a statement and a parse. After
/// a failure the writer drops it and opens a new one.
/// </summary>
public abstract class RequestLogInserter : IAsyncDisposable
{
    /// <summary>Writes <paramref name="rows"/> in one transaction: all or none.</summary>
    public abstract Task InsertAsync(IReadOnlyList<RequestLogRow> rows, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
