using Orleans.Runtime;
using Router.Grains.Interfaces;

namespace Router.Grains.Tests.Sessions;

/// <summary>
/// A start whose answer a web front never got is forbidden everywhere before the web front tries
/// again under a new id: a late start of the first id generates nothing (no second generation, no
/// second charge), and forbidding a running one stops it and says so.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ForbiddenStartTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_start_arriving_after_its_id_was_forbidden_generates_nothing_and_a_running_one_is_stopped()
    {
        var user = $"forbidden-{Guid.NewGuid():N}";
        var session = fixture.Client.GetGrain<IUserSessionGrain>(user);
        var silos = (await fixture.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.ToList();

        // The late start: its id was forbidden on every silo first.
        var nonce = Guid.NewGuid().ToString("N");
        await using (var reader = await CompletionStreamReader.SubscribeAsync(fixture.Client))
        {
            var request = reader.Request($"late {nonce} [[sim:ttft=0,tokens=3]]");
            var running = await Task.WhenAll(silos.Select(s => fixture.Client.GetGrain<IGenerationOwnerGrain>(s.ToParsableString()).ForbidAsync(request.RequestId).AsTask()));
            Assert.DoesNotContain(true, running);
            var ticket = await session.StartCompletionAsync(request);
            Assert.True(ticket.Error?.Code == ErrorCodes.Cancelled, $"the late start answered {ticket.Error?.Code ?? "a ticket without error"}");
        }

        Assert.DoesNotContain(fixture.Simulator.Journal.Requests, r => r.Messages.Any(m => m.Content?.Contains(nonce, StringComparison.Ordinal) == true));

        // A running generation: forbidding stops it, and the answer is that it ran.
        await using (var reader = await CompletionStreamReader.SubscribeAsync(fixture.Client))
        {
            var request = reader.Request($"running {Guid.NewGuid():N} [[sim:ttft=0,tokens=400,tps=20]]");
            var ticket = await session.StartCompletionAsync(request);
            Assert.Null(ticket.Error);
            var stopped = await fixture.Client.GetGrain<IGenerationOwnerGrain>(ticket.Silo!.ToParsableString()).ForbidAsync(request.RequestId);
            Assert.True(stopped, "forbidding the running generation should report that it ran");
        }
    }
}
