using System.Text;
using Router.Testing;

namespace Router.WebFront.Tests.Hosting;

/// <summary>A web front streams at most WebFront:MaxConcurrentStreams answers; past it, 503 with Retry-After in each surface's shape.</summary>
[Collection(GuardedRouterCollection.Name)]
public sealed class StreamCapacityTests(GuardedRouterFixture fixture)
{
    [Fact]
    public async Task Past_the_ceiling_every_generating_surface_answers_503_with_Retry_After_and_a_slot_comes_back()
    {
        // One slow answer holds the only slot (MaxConcurrentStreams=1).
        using var slow = SurfaceRequests.For("/complete", "hold the slot [[sim:tokens=400,tps=20]]");
        using var holding = await fixture.Http.SendAsync(slow, HttpCompletionOption.ResponseHeadersRead, Timeouts.Token());
        Assert.Equal(200, (int)holding.StatusCode);

        foreach (var route in new[] { "/complete", "/v1/chat/completions", "/api/chat", "/api/generate", "/v1/messages", "/v1/responses" })
        {
            using var request = SurfaceRequests.For(route);
            using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
            var code = await SurfaceRequests.AssertErrorAsync(response, route, SurfaceRequests.StatusOn(route, 503));
            if (code is not null) Assert.Equal("too_many_streams", code);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        }

        // Requests that stream nothing are not counted.
        using (var route = SurfaceRequests.For("/v1/route"))
        using (var routed = await fixture.Http.SendAsync(route, Timeouts.Token()))
        {
            Assert.Equal(200, (int)routed.StatusCode);
        }

        // The client leaves: its slot comes back once its handler has ended.
        holding.Dispose();
        using var deadline = new CancellationTokenSource(Timeouts.Event);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var status = 0;
        while (status != 200 && await poll.WaitForNextTickAsync(deadline.Token))
        {
            using var again = SurfaceRequests.For("/v1/chat/completions");
            using var response = await fixture.Http.SendAsync(again, Timeouts.Token());
            status = (int)response.StatusCode;
            Assert.True(status is 200 or 503, $"after the slot was freed: {status} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(200, status);
    }
}
