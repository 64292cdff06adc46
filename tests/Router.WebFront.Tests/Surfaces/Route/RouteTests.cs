using System.Net.Http.Json;
using System.Text.Json;

namespace Router.WebFront.Tests.Surfaces.Route;

/// <summary><c>POST /v1/route</c>: the decision without a generation.</summary>
[Collection(RouterCollection.Name)]
public sealed class RouteTests(RouterFixture fixture)
{
    private async Task<(int Status, JsonElement Body)> RouteAsync(object body)
    {
        using var response = await fixture.Http.PostAsJsonAsync("/v1/route", body, Timeouts.Token());
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Each_surfaces_body_is_routed_on_its_prompt_and_nothing_is_generated()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var seed = await RouteAsync(new { message = $"fix my loop {nonce} [[classify:code]]" });
        var openAi = await RouteAsync(new { model = "auto", messages = new[] { new { role = "system", content = "x" }, new { role = "user", content = $"integrate {nonce} [[classify:math]]" } } });
        var ollama = await RouteAsync(new { model = "auto", prompt = $"hello {nonce}" });

        Assert.Equal((200, "qwen2.5-coder", "code"), (seed.Status, seed.Body.GetProperty("model").GetString(), seed.Body.GetProperty("category").GetString()));
        Assert.Equal((200, "deepseek-r1", "math"), (openAi.Status, openAi.Body.GetProperty("model").GetString(), openAi.Body.GetProperty("category").GetString()));
        Assert.Equal(200, ollama.Status);
        Assert.Equal("llama3.2", ollama.Body.GetProperty("model").GetString());
        Assert.Equal("service", seed.Body.GetProperty("tier").GetString());
        Assert.DoesNotContain(fixture.Simulator.Journal.Requests, r => r.LastUserMessage?.Contains(nonce) == true);
    }

    [Fact]
    public async Task A_named_model_is_the_decision_and_an_unknown_one_is_404()
    {
        var named = await RouteAsync(new { model = "llama3.2", messages = new[] { new { role = "user", content = "hi" } } });
        var unknown = await RouteAsync(new { model = "nope", messages = new[] { new { role = "user", content = "hi" } } });

        Assert.Equal((200, "llama3.2", "named"), (named.Status, named.Body.GetProperty("model").GetString(), named.Body.GetProperty("tier").GetString()));
        Assert.Equal(404, unknown.Status);
        Assert.Equal("model_not_found", unknown.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_without_a_prompt_is_400()
    {
        var (status, body) = await RouteAsync(new { model = "auto" });
        Assert.Equal(400, status);
        Assert.Equal("message_missing", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_past_the_limit_is_413_even_when_it_announces_no_length()
    {
        // Chunked, so only the reader's own bound can stop it.
        var huge = new string('x', 21 * 1024 * 1024); // past WebFront:MaxChatBodyBytes (20 MiB)
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"{{\"message\":\"{huge}\"}}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/route") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());

        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal("body_too_large", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_lone_surrogate_on_the_ollama_surface_is_a_400_not_a_500()
    {
        using var response = await fixture.Http.PostAsync("/api/chat", new StringContent(
            "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}", System.Text.Encoding.UTF8, "application/json"), Timeouts.Token());

        Assert.Equal(400, (int)response.StatusCode);
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()));
    }
}

/// <summary>Routing follows a conversation: a follow-up stays on its model, a confident change of topic moves.</summary>
[Collection(RouterCollection.Name)]
public sealed class ConversationRouteTests(RouterFixture fixture)
{
    private async Task<(JsonElement Body, bool StickyHeader)> RouteAsync(params string[] userTurns)
    {
        var messages = userTurns.SelectMany((t, i) => i < userTurns.Length - 1
            ? new object[] { new { role = "user", content = t }, new { role = "assistant", content = "Here it is." } }
            : [new { role = "user", content = t }]);
        using var response = await fixture.Http.PostAsJsonAsync("/v1/route", new { model = "auto", messages }, Timeouts.Token());
        Assert.Equal(200, (int)response.StatusCode);
        var sticky = response.Headers.TryGetValues("x-router-sticky", out var values) && values.Single() == "true";
        return (JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(), sticky);
    }

    [Fact]
    public async Task An_unsure_follow_up_stays_on_the_model_its_conversation_is_on()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var (body, stickyHeader) = await RouteAsync($"Write a merge sort {nonce} [[classify:code]]", $"and why is it stable? {nonce} [[confidence:0.55]]");

        Assert.Equal("qwen2.5-coder", body.GetProperty("model").GetString());
        Assert.Equal("code", body.GetProperty("category").GetString());
        Assert.True(body.GetProperty("sticky").GetBoolean());
        Assert.True(stickyHeader);
    }

    [Fact]
    public async Task A_confident_change_of_topic_moves()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var (body, stickyHeader) = await RouteAsync($"Write a merge sort {nonce} [[classify:code]]", $"Integrate x squared {nonce} [[classify:math]] [[confidence:0.97]]");

        Assert.Equal("deepseek-r1", body.GetProperty("model").GetString());
        Assert.False(body.GetProperty("sticky").GetBoolean());
        Assert.False(stickyHeader);
    }

    [Fact]
    public async Task An_unsure_message_that_announces_a_change_of_topic_moves()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var (body, stickyHeader) = await RouteAsync($"Write a merge sort {nonce} [[classify:code]]",
            $"By the way, how was your weekend? {nonce} [[confidence:0.6]]");

        Assert.Equal("llama3.2", body.GetProperty("model").GetString());
        Assert.Equal("conversation", body.GetProperty("category").GetString());
        Assert.False(body.GetProperty("sticky").GetBoolean());
        Assert.False(stickyHeader);
    }

    [Fact]
    public async Task The_same_message_alone_routes_on_its_own_classification()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var (body, _) = await RouteAsync($"and why is it stable? {nonce} [[confidence:0.55]]");

        Assert.Equal("llama3.2", body.GetProperty("model").GetString());
        Assert.False(body.GetProperty("sticky").GetBoolean());
    }
}
