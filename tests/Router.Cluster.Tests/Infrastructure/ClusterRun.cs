using System.Diagnostics;
using Orleans.Runtime;

namespace Router.Cluster.Tests.Infrastructure;

/// <summary>Steps the reliability tests share: load phases, probes, membership timing, session checks.</summary>
public sealed class ClusterRun(LocalCluster cluster, ClusterObserver observer)
{
    public Stopwatch Epoch { get; } = Stopwatch.StartNew();

    /// <summary>One request per user, alternating web fronts; returns when every one has ended.</summary>
    public Task<StreamResult[]> RoundAsync(IReadOnlyList<string> users, Func<string, string> message, TimeSpan bound) =>
        Task.WhenAll(users.Select((u, i) => StreamDriver.RunAsync(cluster.WebFronts[i % cluster.WebFronts.Count], i % cluster.WebFronts.Count, u, message(u), Epoch, bound)));

    /// <summary>Opens one long stream per user and returns once each has received a token.</summary>
    public async Task<Task<StreamResult>[]> OpenStreamsAsync(IReadOnlyList<string> users, string message, TimeSpan bound, int webFront = -1)
    {
        var firstTokens = users.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var streams = users.Select((u, i) =>
        {
            var index = webFront >= 0 ? webFront : i % cluster.WebFronts.Count;
            return StreamDriver.RunAsync(cluster.WebFronts[index], index, u, message, Epoch, bound, firstTokens[i]);
        }).ToArray();
        var allStarted = Task.WhenAll(firstTokens.Select(t => t.Task));
        if (await Task.WhenAny(allStarted, Task.WhenAll(streams), Task.Delay(TimeSpan.FromSeconds(60))) != allStarted)
        {
            var ended = streams.Where(s => s.IsCompleted).Select(s => s.Result).ToList();
            throw new TimeoutException($"opening streams: not every stream got a first token within 60 s; ended early: {StreamDriver.Summarize(ended)}");
        }

        return streams;
    }

    /// <summary>
    /// Sends a short request every <paramref name="period"/> (rotating users and web fronts) until
    /// <paramref name="until"/> completes; returns every probe's result.
    /// </summary>
    public async Task<StreamResult[]> ProbeAsync(IReadOnlyList<string> users, TimeSpan period, Task until, IReadOnlyList<int>? webFronts = null)
    {
        var probes = new List<Task<StreamResult>>();
        var fronts = webFronts ?? Enumerable.Range(0, cluster.WebFronts.Count).ToList();
        for (var i = 0; !until.IsCompleted; i++)
        {
            var user = users[i % users.Count];
            var index = fronts[i % fronts.Count];
            probes.Add(StreamDriver.RunAsync(cluster.WebFronts[index], index, user, $"probe {i} [[sim:ttft=0,tokens=3]]", Epoch, TimeSpan.FromSeconds(45)));
            await Task.WhenAny(until, Task.Delay(period));
        }

        return await Task.WhenAll(probes);
    }

    /// <summary>The moment (since the epoch) membership first shows the silo on <paramref name="siloPort"/> as dead.</summary>
    public async Task<TimeSpan> WaitForDeadAsync(int siloPort, TimeSpan timeout)
    {
        // Membership lives in another process: it is read on a short period until the deadline.
        var deadline = Epoch.Elapsed + timeout;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (Epoch.Elapsed < deadline)
        {
            try
            {
                var hosts = await observer.HostsAsync().WaitAsync(TimeSpan.FromSeconds(2));
                if (hosts.Any(h => h.Key.Endpoint.Port == siloPort && h.Value == SiloStatus.Dead)) return Epoch.Elapsed;
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException or SiloUnavailableException)
            {
                // The observer's gateway may be the silo that died; the next call goes elsewhere.
            }

            await poll.WaitForNextTickAsync();
        }

        throw new TimeoutException($"membership did not mark the silo on port {siloPort} dead within {timeout.TotalSeconds:0} s");
    }

    /// <summary>Users whose session lacks <paramref name="expected"/>'s turn or counters.</summary>
    public async Task<List<string>> UsersMissingStateAsync(IReadOnlyList<string> users, Func<string, string> expected)
    {
        var missing = new List<string>();
        foreach (var user in users)
        {
            var session = await observer.SessionAsync(user).WaitAsync(TimeSpan.FromSeconds(30));
            if (session.Completed < 1 || !session.Turns.Any(t => t.UserMessage == expected(user))) missing.Add(user);
        }

        return missing;
    }

    /// <summary>Session activations per silo after touching <paramref name="count"/> users.</summary>
    public async Task<string> PlacementAsync(int count, string prefix)
    {
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => observer.SessionAsync($"{prefix}-{i:D4}")));
        var placement = await observer.SessionPlacementAsync();
        return string.Join(", ", placement.OrderBy(p => p.Key.Endpoint.Port)
            .Select(p => $"{cluster.Silos.FirstOrDefault(s => s.Settings["Orleans:SiloPort"] == p.Key.Endpoint.Port.ToString())?.Name ?? p.Key.ToString()}: {p.Value}"));
    }

    public static int SiloPort(RouterProcess silo) => int.Parse(silo.Settings["Orleans:SiloPort"]);
}
