using Router.Testing;

namespace Router.WebFront.Tests.Auth;

/// <summary>A user's history under Keys mode: bounded in bytes, deleted by an administrator or by the user with their key.</summary>
[Collection(LeaseRouterCollection.Name)]
public sealed class HistoryAdminTests(LeaseRouterFixture fixture)
{
    [Fact]
    public async Task An_administrator_and_the_user_delete_a_history_and_a_turn_beyond_the_byte_bound_is_not_kept()
    {
        var user = "kept-" + Guid.NewGuid().ToString("N")[..8];
        var (_, key) = await fixture.CreateKeyAsync(user);
        var nonce = Guid.NewGuid().ToString("N");

        await CompleteAsync(key, $"one {nonce} [[sim:ttft=0,tokens=2]]");
        Assert.Equal(3, (await CompleteAsync(key, $"two {nonce} [[sim:ttft=0,tokens=2]]")).Messages.Count);

        using (var deleted = await fixture.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Delete, $"/admin/users/{user}/history"), Timeouts.Token()))
        {
            Assert.Equal(204, (int)deleted.StatusCode);
        }

        Assert.Single((await CompleteAsync(key, $"three {nonce} [[sim:ttft=0,tokens=2]]")).Messages);

        using (var own = new HttpRequestMessage(HttpMethod.Delete, "/v1/history"))
        {
            own.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            using var deleted = await fixture.Http.SendAsync(own, Timeouts.Token());
            Assert.Equal(204, (int)deleted.StatusCode);
        }

        Assert.Single((await CompleteAsync(key, $"four {nonce} [[sim:ttft=0,tokens=2]]")).Messages);

        // A turn larger than the whole bound is not kept, and pushes nothing older into the context either.
        var large = $"large {nonce} " + new string('x', LeaseRouterFixture.MaxHistoryBytes) + " [[sim:ttft=0,tokens=2]]";
        await CompleteAsync(key, large);
        Assert.Single((await CompleteAsync(key, $"five {nonce} [[sim:ttft=0,tokens=2]]")).Messages);

        using var anonymousAdmin = await fixture.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Delete, $"/admin/users/{user}/history", bearer: null), Timeouts.Token());
        Assert.Equal(401, (int)anonymousAdmin.StatusCode);
    }

    private async Task<Router.OllamaSimulator.SimulatedRequest> CompleteAsync(string key, string message)
    {
        await using (var sse = await CompleteStream.OpenAsync(fixture.Http, KeysRouterFixture.Complete(key, message), Timeouts.Token()))
        {
            Assert.Equal(200, (int)sse.Response.StatusCode);
            var events = await sse.ReadToEndAsync();
            Assert.True(events[^1].IsDone, $"'{message[..Math.Min(40, message.Length)]}' ended with {events[^1].Data}");
        }

        return await fixture.Simulator.Journal.WaitForMessageAsync(message[..Math.Min(message.Length, 40)], Timeouts.Event);
    }
}
