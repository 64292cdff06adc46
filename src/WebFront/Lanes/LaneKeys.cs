using Orleans.Configuration;
using Orleans.Streams;
using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.WebFront.Lanes;

/// <summary>Chooses a web front's lane keys so that its lanes land on distinct queues of the provider.</summary>
internal static class LaneKeys
{
    public static int QueueCount(IConfiguration configuration) =>
        configuration.GetSection(StreamingOptions.SectionName).Get<StreamingOptions>()?.Queues ?? new StreamingOptions().Queues;

    /// <summary>
    /// One key per queue, found by trying <c>front/0</c>, <c>front/1</c>, … through the same
    /// hash-ring mapper the silos use; a lane per queue lets every queue's agent work in parallel.
    /// </summary>
    public static string[] Spread(string frontId, int queues)
    {
        var mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = queues }, RouterStreams.ProviderName);
        var all = mapper.GetAllQueues().ToList();
        var keys = new string?[all.Count];
        var found = 0;
        for (var candidate = 0; found < keys.Length && candidate < keys.Length * 64; candidate++)
        {
            var key = RouterStreams.LaneKey(frontId, candidate);
            var index = all.IndexOf(mapper.GetQueueForStream(RouterStreams.ForLane(key)));
            if (keys[index] is null)
            {
                keys[index] = key;
                found++;
            }
        }

        // A queue no candidate hashed to (unlikely) gets a lane sharing another queue.
        return keys.Select((k, i) => k ?? RouterStreams.LaneKey(frontId, -1 - i)).ToArray();
    }
}
