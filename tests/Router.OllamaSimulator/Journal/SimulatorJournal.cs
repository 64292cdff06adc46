using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Router.OllamaSimulator;

/// <summary>
/// Records every request the simulator answers and lets tests await a request's terminal outcome
/// without polling. Touched only at the start and end of a request, never per token.
/// </summary>
public sealed class SimulatorJournal
{
    private readonly ConcurrentQueue<SimulatedRequest> _requests = new();
    private readonly ConcurrentDictionary<Waiter, byte> _waiters = new();
    private readonly SimulatorOptions _options;
    private long _nextId;
    private int _active;
    private long _total;
    private long _completed;
    private long _disconnected;
    private long _faulted;
    private long _cut;
    private long _stalled;

    public SimulatorJournal(IOptions<SimulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
    }

    /// <summary>Requests kept (oldest first), including those still in progress.</summary>
    public IReadOnlyList<SimulatedRequest> Requests => _requests.ToArray();

    public int ActiveStreams => Volatile.Read(ref _active);

    public SimulatorStats Stats => new(
        ActiveStreams,
        Interlocked.Read(ref _total),
        Interlocked.Read(ref _completed),
        Interlocked.Read(ref _disconnected),
        Interlocked.Read(ref _faulted),
        Interlocked.Read(ref _cut),
        Interlocked.Read(ref _stalled));

    /// <summary>
    /// Completes with the first request that matches <paramref name="predicate"/> and has reached a terminal
    /// outcome, whether that happened before or after the call. Throws <see cref="TimeoutException"/>
    /// (listing the journal) when none does within <paramref name="timeout"/>.
    /// </summary>
    public async Task<SimulatedRequest> WaitForAsync(Func<SimulatedRequest, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var waiter = new Waiter(predicate);

        // Register before scanning: a request finishing in between is then seen by one side or both,
        // and TrySetResult makes the double sighting harmless.
        _waiters.TryAdd(waiter, 0);
        try
        {
            foreach (var request in _requests)
            {
                if (request.IsTerminal && waiter.Offer(request))
                {
                    break;
                }
            }

            return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"No simulated request matching the predicate reached a terminal outcome within {timeout}. Journal: [{string.Join("; ", _requests)}]");
        }
        finally
        {
            _waiters.TryRemove(waiter, out _);
        }
    }

    /// <summary>Awaits the terminal outcome of the request with the given id.</summary>
    public Task<SimulatedRequest> WaitForAsync(long id, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForAsync(r => r.Id == id, timeout, cancellationToken);

    /// <summary>Awaits the first finished request whose last user message contains <paramref name="text"/>.</summary>
    public Task<SimulatedRequest> WaitForMessageAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForAsync(r => r.LastUserMessage?.Contains(text, StringComparison.Ordinal) == true, timeout, cancellationToken);

    /// <summary>Forgets recorded requests and zeroes the counters; requests in flight still finish and are counted.</summary>
    public void Reset()
    {
        _requests.Clear();
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _completed, 0);
        Interlocked.Exchange(ref _disconnected, 0);
        Interlocked.Exchange(ref _faulted, 0);
        Interlocked.Exchange(ref _cut, 0);
        Interlocked.Exchange(ref _stalled, 0);
    }

    internal SimulatedRequest Begin(
        SimulatedEndpoint endpoint, string model, string? lastUserMessage, bool stream, SimDirectives directives, int promptEvalCount,
        SimulatedParameters? parameters = null, string? apiKey = null, SimulatedRequestContent? content = null)
    {
        var request = new SimulatedRequest(
            Interlocked.Increment(ref _nextId), endpoint, model, lastUserMessage, stream, directives, promptEvalCount, parameters, apiKey, content);
        _requests.Enqueue(request);
        Interlocked.Increment(ref _total);
        Interlocked.Increment(ref _active);

        var capacity = _options.JournalCapacity;
        while (_requests.Count > capacity && _requests.TryDequeue(out _))
        {
        }

        return request;
    }

    internal void Finish(SimulatedRequest request, SimulatedOutcome outcome, int statusCode)
    {
        if (!request.TryFinish(outcome, statusCode))
        {
            return;
        }

        Interlocked.Decrement(ref _active);
        switch (outcome)
        {
            case SimulatedOutcome.Completed: Interlocked.Increment(ref _completed); break;
            case SimulatedOutcome.ClientDisconnected: Interlocked.Increment(ref _disconnected); break;
            case SimulatedOutcome.Faulted: Interlocked.Increment(ref _faulted); break;
            case SimulatedOutcome.Cut: Interlocked.Increment(ref _cut); break;
        }

        if (request.Stalled)
        {
            Interlocked.Increment(ref _stalled);
        }

        if (_waiters.IsEmpty)
        {
            return;
        }

        foreach (var waiter in _waiters.Keys)
        {
            waiter.Offer(request);
        }
    }

    private sealed class Waiter(Func<SimulatedRequest, bool> predicate)
    {
        private readonly TaskCompletionSource<SimulatedRequest> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<SimulatedRequest> Task => _tcs.Task;

        public bool Offer(SimulatedRequest request)
        {
            if (_tcs.Task.IsCompleted)
            {
                return true;
            }

            try
            {
                return predicate(request) && _tcs.TrySetResult(request);
            }
            catch (Exception ex)
            {
                _tcs.TrySetException(ex);
                return true;
            }
        }
    }
}
