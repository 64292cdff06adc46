using System.Threading.Channels;
using Orleans.Streams;
using Router.Grains.Interfaces;

namespace Router.Cluster.Tests.Infrastructure;

/// <summary>Completions run straight on a cluster client: subscribe, start on the session grain, read to the terminal item.</summary>
public static class GrainCompletions
{
    private static readonly TimeSpan StreamBound = TimeSpan.FromSeconds(30);

    public static async Task<(string User, CompletionTicket Ticket, List<CompletionEvent> Events)> CompleteAsync(IClusterClient client, string user, string message)
    {
        var requestId = Guid.NewGuid();
        var lane = RouterStreams.LaneKey($"test-{requestId:N}", 0);
        var items = Channel.CreateUnbounded<CompletionEvent>();
        var handle = await client.GetStreamProvider(RouterStreams.ProviderName)
            .GetStream<LaneItem>(RouterStreams.ForLane(lane))
            .SubscribeAsync((item, _) => items.Writer.WriteAsync(item.Event).AsTask());
        try
        {
            var ticket = await client.GetGrain<IUserSessionGrain>(user).StartCompletionAsync(new CompletionRequest(requestId, message, lane));
            Assert.Null(ticket.Error);
            var events = new List<CompletionEvent>();
            using var cts = new CancellationTokenSource(StreamBound);
            while (events.Count == 0 || !events[^1].IsTerminal)
            {
                events.Add(await items.Reader.ReadAsync(cts.Token));
            }

            return (user, ticket, events);
        }
        finally
        {
            await handle.UnsubscribeAsync();
        }
    }
}
