using System.Text.Json;

namespace Router.WebFront.Tests.Hosting;

[Collection(RouterCollection.Name)]
public sealed class ExceptionHandlerTests(RouterFixture fixture)
{
    [Fact]
    public async Task An_unhandled_exception_is_a_problem_500_with_the_request_id_and_without_the_exception_text()
    {
        using var response = await fixture.Http.GetAsync(TestEndpoints.ThrowPath, Timeouts.Token());
        var body = await response.Content.ReadAsStringAsync();

        await ProblemAssert.IsProblemAsync(response, 500, "internal_error");
        var header = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.True(Guid.TryParse(header, out _), $"X-Request-Id is not a request id: {header}");
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(header, problem.RootElement.GetProperty("request_id").GetString());
        Assert.DoesNotContain("10.1.2.3", body);
        Assert.DoesNotContain("secret", body);
    }

    [Fact]
    public async Task A_wrong_method_on_complete_is_a_problem_405()
    {
        using var response = await fixture.Http.GetAsync("/complete", Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 405, "method_not_allowed");
    }

    [Fact]
    public async Task Each_failure_gets_its_own_request_id()
    {
        using var first = await fixture.Http.GetAsync(TestEndpoints.ThrowPath, Timeouts.Token());
        using var second = await fixture.Http.GetAsync(TestEndpoints.ThrowPath, Timeouts.Token());
        Assert.NotEqual(first.Headers.GetValues("X-Request-Id").Single(), second.Headers.GetValues("X-Request-Id").Single());
    }
}
