namespace Router.WebFront.Tests;

[Collection(RouterCollection.Name)]
public sealed class HealthTests(RouterFixture fixture)
{
    [Fact]
    public async Task Health_answers_healthy()
    {
        using var response = await fixture.Http.GetAsync("/health", Timeouts.Token());
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_are_scraped_with_the_routers_request_counters()
    {
        await using (var sse = await Testing.SseClient.PostAsync(fixture.Http, "count me [[sim:tokens=2]]", "metrics", Timeouts.Token()))
        {
            Assert.True((await sse.ReadToEndAsync(Timeouts.Token()))[^1].IsDone);
        }

        using var response = await fixture.Http.GetAsync("/metrics", Timeouts.Token());
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("router_requests", text);
        Assert.Contains("router_time_to_first_token", text);
        Assert.Contains("router_classifier_cache", text);
    }
}
