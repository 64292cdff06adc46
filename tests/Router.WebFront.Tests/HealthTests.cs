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
}
