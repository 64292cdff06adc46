using Microsoft.Extensions.DependencyInjection;
using Router.Grains.Classification;
using Router.Testing;

namespace Router.WebFront.Tests.Completions;

/// <summary>
/// The router's default classifier path: no <c>Classifier:Url</c>, so the embedded model classifies in the
/// router's own process. The expected route is the model's own answer for the prompt, so the test holds
/// whatever the trained model decides, while proving the in-process path (not a service) decided it.
/// </summary>
[Collection(InProcessClassifierRouterCollection.Name)]
public sealed class InProcessClassifierTests(InProcessClassifierRouterFixture fixture)
{
    [Theory]
    [InlineData("Hey, long week. Any idea for a relaxed sunday afternoon with two kids who love drawing?")]
    [InlineData("My C# loop over a List<int> throws InvalidOperationException: collection was modified. How do I remove items while iterating?")]
    public async Task Without_a_classifier_url_the_embedded_model_routes_the_request(string prompt)
    {
        var message = prompt + " [[sim:tokens=3]]";
        var classifier = fixture.Router.Services.GetRequiredService<IPromptClassifier>();
        Assert.IsType<InProcessPromptClassifier>(classifier);
        var expected = await classifier.ClassifyAsync(message, Timeouts.Token());

        // A user of its own per prompt: a session's earlier turn would make this one a follow-up (docs/routing.md).
        await using var sse = await SseClient.PostAsync(fixture.Http, message, $"lena-{Guid.NewGuid():N}", Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());

        Assert.Equal(200, (int)sse.Response.StatusCode);
        Assert.Equal(expected.Model, sse.Response.Headers.GetValues("x-router-model").Single());
        var done = events[^1];
        Assert.True(done.IsDone, $"the answer ended with {done.Data}");
        Assert.Equal(expected.Category, done.Data.GetProperty("category").GetString());
        Assert.All(events, e => Assert.Equal(expected.Model, e.Data.GetProperty("model").GetString()));
        Assert.Equal(0, fixture.Classifier.CallsFor(message));
    }
}
