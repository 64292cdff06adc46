using Router.Testing;

namespace Router.WebFront.Tests.Hosting;

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
    public async Task Metrics_are_scraped_on_the_management_endpoint_with_the_routers_request_counters()
    {
        await using (var sse = await SseClient.PostAsync(fixture.Http, "count me [[sim:tokens=2]]", "metrics", Timeouts.Token()))
        {
            Assert.True((await sse.ReadToEndAsync(Timeouts.Token()))[^1].IsDone);
        }

        var management = fixture.Router.ManagementUrl ?? throw new InvalidOperationException("the management endpoint did not start");
        Assert.True(System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(management.Host)), $"management endpoint not on loopback: {management}");
        Assert.NotEqual(fixture.Router.BaseUrl.Port, management.Port);
        using var http = new HttpClient { BaseAddress = management };
        using var response = await http.GetAsync("/metrics", Timeouts.Token());
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("router_requests", text);
        Assert.Contains("router_time_to_first_token", text);
        Assert.Contains("router_classifier_cache", text);
    }

    [Fact]
    public async Task Metrics_are_not_served_on_the_public_port()
    {
        using var response = await fixture.Http.GetAsync("/metrics", Timeouts.Token());
        Assert.DoesNotContain("router_requests", await response.Content.ReadAsStringAsync());
        await ProblemAssert.IsProblemAsync(response, 404, "not_found");
    }

    [Fact]
    public async Task The_management_endpoint_serves_nothing_but_metrics()
    {
        using var http = new HttpClient { BaseAddress = fixture.Router.ManagementUrl };
        using var response = await http.PostAsync("/complete", new StringContent("{\"message\":\"hi\"}", System.Text.Encoding.UTF8, "application/json"), Timeouts.Token());
        Assert.Equal(404, (int)response.StatusCode);
    }
}

[Collection(FallbackRouterCollection.Name)]
public sealed class DisabledManagementTests(FallbackRouterFixture fixture)
{
    [Fact]
    public async Task An_empty_management_url_disables_the_management_endpoint()
    {
        Assert.Null(fixture.Router.ManagementUrl);
        using var response = await fixture.Http.GetAsync("/metrics", Timeouts.Token());
        Assert.Equal(404, (int)response.StatusCode);
    }
}
