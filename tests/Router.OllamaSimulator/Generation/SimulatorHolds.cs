using System.Collections.Concurrent;

namespace Router.OllamaSimulator;

/// <summary>
/// Named gates for answers marked <c>[[sim:hold=NAME]]</c>: such an answer stops before its first token
/// (or after <c>holdafter=N</c> tokens) until the test releases NAME, so a test that must act while an
/// answer is open waits on its own step instead of racing the simulator's pacing. A release before the
/// answer arrives counts, so the order of the two never matters; a name stays released.
/// </summary>
public sealed class SimulatorHolds
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Lets every answer held (now or later) under <paramref name="name"/> go on.</summary>
    public void Release(string name) => GateFor(name).Released.TrySetResult();

    /// <summary>
    /// Completes once an answer has stopped at the hold named <paramref name="name"/>: the request reached the
    /// simulator and sent exactly its <c>holdafter</c> tokens. Throws <see cref="TimeoutException"/> naming the hold.
    /// </summary>
    public async Task WaitUntilHeldAsync(string name, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            await GateFor(name).Reached.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No simulated answer reached the hold '{name}' within {timeout}.");
        }
    }

    /// <summary>Called by the generation loop before token <paramref name="index"/> is written.</summary>
    internal Task HoldAsync(SimDirectives directives, int index, CancellationToken cancellationToken)
    {
        if (directives.Hold is not { } name || index != directives.HoldAfter)
        {
            return Task.CompletedTask;
        }

        var gate = GateFor(name);
        gate.Reached.TrySetResult();
        return gate.Released.Task.WaitAsync(cancellationToken);
    }

    private Gate GateFor(string name) => _gates.GetOrAdd(name, static _ => new Gate());

    private sealed class Gate
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
