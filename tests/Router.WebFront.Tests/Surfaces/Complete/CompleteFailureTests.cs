using Router.OllamaSimulator;
using Router.Testing;

namespace Router.WebFront.Tests.Surfaces.Complete;

/// <summary>Backend failures, and clients that leave; the deadlines these wait for are short in this fixture.</summary>
[Collection(ShortTimeoutsRouterCollection.Name)]
public sealed class CompleteFailureTests(ShortTimeoutsRouterFixture fixture)
{
    [Theory]
    [InlineData("[[sim:status=500]]", "ollama_error")]
    [InlineData("[[sim:status=503]]", "ollama_busy")]
    [InlineData("[[sim:status=404]]", "model_not_found")]
    [InlineData("[[sim:cut=3,tps=50]]", "ollama_stream_broken")]
    [InlineData("[[sim:stall=2,tps=50]]", "ollama_timeout")]
    public async Task An_Ollama_failure_ends_the_stream_with_its_error_event(string directive, string expectedCode)
    {
        var nonce = Guid.NewGuid().ToString("N");
        await using var sse = await SseClient.PostAsync(fixture.Http, $"question {nonce} {directive}", "erin", Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());

        var last = events[^1];
        Assert.True(last.IsError, $"last event should be an error, got {last.Data}");
        Assert.Equal(expectedCode, last.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(last.Message));
        ClientMessageAssert.NamesNoAddress(last.Message, fixture.Simulator.BaseUrl);
        Assert.Equal("erin", last.Data.GetProperty("user_id").GetString());
        Assert.DoesNotContain(events, e => e.IsDone);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        if (expectedCode is "ollama_stream_broken" or "ollama_timeout")
        {
            // Text already sent before the failure reached the client, and nothing else.
            Assert.Equal(simulated.Text, string.Concat(events.Where(e => !e.IsError).Select(e => e.Message)));
        }

        if (expectedCode == "ollama_timeout")
        {
            // The stalled backend connection was closed by the router, not left open.
            Assert.Equal(SimulatedOutcome.ClientDisconnected, simulated.Outcome);
        }
    }

    [Fact]
    public async Task A_client_that_leaves_mid_stream_closes_the_backend_connection()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var sse = await SseClient.PostAsync(fixture.Http, $"long answer {nonce} [[sim:tokens=2000,tps=20]]", "gina", Timeouts.Token());
        Assert.NotNull(await sse.NextAsync(Timeouts.Token()));
        Assert.NotNull(await sse.NextAsync(Timeouts.Token()));
        await sse.DisposeAsync();

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, simulated.Outcome);
        Assert.True(simulated.TokensSent < 2000);
    }

    [Fact]
    public async Task A_client_that_leaves_before_the_first_token_closes_the_backend_connection()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var sse = await SseClient.PostAsync(fixture.Http, $"slow answer {nonce} [[sim:hold={nonce}]]", "hank", Timeouts.Token());

        // The backend holds its answer (no token can come before the client leaves); a keep-alive comment
        // shows the request is being served.
        await fixture.Simulator.Holds.WaitUntilHeldAsync(nonce, Timeouts.Event);
        await sse.WaitForCommentsBeforeAnyEventAsync(1, Timeouts.Token());
        await sse.DisposeAsync();

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, simulated.Outcome);
        Assert.Equal(0, simulated.TokensSent);
    }
}

/// <summary>The classifier fails (one-second deadline here) and there is no fallback model.</summary>
[Collection(ClassifierTimeoutRouterCollection.Name)]
public sealed class ClassifierFailureTests(ClassifierTimeoutRouterFixture fixture)
{
    [Theory]
    [InlineData("[[classifier:500]]")]
    [InlineData("[[classifier:slow]]")]
    [InlineData("[[classifier:badjson]]")]
    public async Task Without_a_fallback_model_a_classifier_failure_is_an_error_event(string directive)
    {
        await using var sse = await SseClient.PostAsync(fixture.Http, $"anything {Guid.NewGuid():N} {directive}", "frank", Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());

        Assert.Equal(200, (int)sse.Response.StatusCode);
        var error = Assert.Single(events);
        Assert.True(error.IsError);
        Assert.Equal("classifier_unavailable", error.ErrorCode);
        ClientMessageAssert.NamesNoAddress(error.Message, fixture.Classifier.Url);
    }
}

[Collection(FallbackRouterCollection.Name)]
public sealed class ClassifierFallbackTests(FallbackRouterFixture fixture)
{
    [Theory]
    [InlineData("[[classifier:500]]")]
    [InlineData("[[classifier:slow]]")]
    [InlineData("[[classifier:badjson]]")]
    public async Task With_a_fallback_model_a_classifier_failure_streams_from_it(string directive)
    {
        var nonce = Guid.NewGuid().ToString("N");
        await using var sse = await SseClient.PostAsync(fixture.Http, $"anything {nonce} {directive} [[sim:tokens=4]]", "ivan", Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());

        Assert.True(events[^1].IsDone, $"expected done, got {events[^1].Data}");
        Assert.All(events, e => Assert.Equal("llama3.2", e.Data.GetProperty("model").GetString()));
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(simulated.Text, string.Concat(events.Where(e => !e.IsDone).Select(e => e.Message)));
    }
}

[Collection(DeadOllamaRouterCollection.Name)]
public sealed class DeadOllamaTests(DeadOllamaRouterFixture fixture)
{
    [Fact]
    public async Task An_unreachable_Ollama_is_an_ollama_unavailable_error_event()
    {
        await using var sse = await SseClient.PostAsync(fixture.Http, "hello there", "judy", Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());

        var error = Assert.Single(events);
        Assert.True(error.IsError);
        Assert.Equal("ollama_unavailable", error.ErrorCode);
        Assert.Equal("llama3.2", error.Data.GetProperty("model").GetString());
        ClientMessageAssert.NamesNoAddress(error.Message, fixture.OllamaUrl);
    }
}

[Collection(DeadClassifierRouterCollection.Name)]
public sealed class DeadClassifierTests(DeadClassifierRouterFixture fixture)
{
    [Fact]
    public async Task A_classifier_service_that_refuses_connections_is_a_classifier_unavailable_error_event()
    {
        var nonce = Guid.NewGuid().ToString("N");
        await using var sse = await SseClient.PostAsync(fixture.Http, $"classify me {nonce}", "kim", Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());

        Assert.Equal(200, (int)sse.Response.StatusCode);
        var error = Assert.Single(events);
        Assert.True(error.IsError, $"the answer should be one error event, got {error.Data}");
        Assert.Equal("classifier_unavailable", error.ErrorCode);
        Assert.Equal("kim", error.Data.GetProperty("user_id").GetString());
        ClientMessageAssert.NamesNoAddress(error.Message, fixture.ClassifierUrl);
        Assert.DoesNotContain(fixture.Simulator.Journal.Requests, r => r.LastUserMessage?.Contains(nonce) == true);
    }
}
