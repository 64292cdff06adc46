using System.Net;

namespace Router.OllamaSimulator.Tests;

/// <summary><see cref="SimulatorOptions.FailStatus"/>: a server that is up but answers an error to everything, until told otherwise.</summary>
public sealed class FailStatusTests : SimulatorTestBase
{
    protected override SimulatorOptions CreateOptions()
    {
        var options = base.CreateOptions();
        options.FailStatus = 503;
        return options;
    }

    [Fact]
    public async Task Every_api_endpoint_answers_the_status_until_it_is_cleared()
    {
        using var http = CreateHttpClient();
        using (var chat = await http.PostAsync("/api/chat", GenerateAndInfoTests.Json("""{"model":"llama3.2","messages":[{"role":"user","content":"failing chat"}]}""")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, chat.StatusCode);
            Assert.Equal("""{"error":"server busy, please try again.  maximum pending requests exceeded"}""", await chat.Content.ReadAsStringAsync());
        }

        using (var version = await http.GetAsync("/api/version")) Assert.Equal(HttpStatusCode.ServiceUnavailable, version.StatusCode);
        using (var tags = await http.GetAsync("/api/tags")) Assert.Equal(HttpStatusCode.ServiceUnavailable, tags.StatusCode);
        using (var models = await http.GetAsync("/v1/models"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, models.StatusCode);
            Assert.Contains("\"error\":{", await models.Content.ReadAsStringAsync());
        }

        // The control endpoints stay usable, so a test can still read what happened.
        using (var stats = await http.GetAsync("/sim/stats")) Assert.Equal(HttpStatusCode.OK, stats.StatusCode);

        var recorded = await Journal.WaitForMessageAsync("failing chat", Timeout);
        Assert.Equal(SimulatedOutcome.Faulted, recorded.Outcome);
        Assert.Equal(503, recorded.StatusCode);

        Simulator.Configure(o => o.FailStatus = null);
        using (var version = await http.GetAsync("/api/version")) Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        using var client = CreateClient();
        var text = "";
        await foreach (var chunk in client.ChatAsync(new OllamaSharp.Models.Chat.ChatRequest
        {
            Model = "llama3.2",
            Messages = [new OllamaSharp.Models.Chat.Message(OllamaSharp.Models.Chat.ChatRole.User, "recovered chat")],
        }))
        {
            text += chunk?.Message?.Content;
        }

        Assert.Equal(SimulatedText.Text(5), text);
        Assert.Equal(SimulatedOutcome.Completed, (await Journal.WaitForMessageAsync("recovered chat", Timeout)).Outcome);
    }

    [Fact]
    public async Task A_status_that_is_not_an_error_fails_start_up_naming_the_setting()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => OllamaSimulator.StartAsync(new SimulatorOptions { FailStatus = 200 }));
        Assert.Contains("Simulator:FailStatus", ex.Message);
    }
}
