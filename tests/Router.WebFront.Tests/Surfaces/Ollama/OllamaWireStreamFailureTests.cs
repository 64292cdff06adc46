using Router.OllamaSimulator;
using static Router.WebFront.Tests.Surfaces.Ollama.OllamaHttp;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>How an Ollama stream ends when something goes wrong after it started, and the standard message.</summary>
[Collection(RouterCollection.Name)]
public sealed class OllamaWireStreamFailureTests(RouterFixture fixture)
{
    [Fact]
    public async Task A_backend_cut_mid_stream_ends_with_an_error_line_and_no_done()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$"""{"model":"auto","messages":[{"role":"user","content":"Cut {{nonce}} [[sim:cut=3,tps=50]]"}]}""";
        using var response = await PostAsync(fixture.Http, "/api/chat", body);

        Assert.Equal(200, (int)response.StatusCode);
        var (_, lines) = await ReadLinesAsync(response);
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.Cut, simulated.Outcome);

        var last = lines[^1];
        Assert.Equal("error", Assert.Single(last.EnumerateObject()).Name);
        Assert.False(string.IsNullOrWhiteSpace(last.GetProperty("error").GetString()));
        Assert.DoesNotContain(lines, IsDone);
        Assert.True(lines.Count >= 2, "the text sent before the cut comes first");
        // The cut resets the connection, so the last token the backend wrote may never arrive.
        var relayed = string.Concat(lines[..^1].Select(Content));
        Assert.False(string.IsNullOrEmpty(relayed));
        Assert.StartsWith(relayed, simulated.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backend_cut_without_streaming_is_an_error_status()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$"""{"model":"auto","prompt":"Cut {{nonce}} [[sim:cut=3,tps=50]]","stream":false}""";
        using var response = await PostAsync(fixture.Http, "/api/generate", body);

        await AssertErrorBodyAsync(response, 502);
    }

    [Fact]
    public async Task A_model_without_a_streaming_backend_streams_the_standard_message_then_done()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$"""{"model":"auto","messages":[{"role":"user","content":"Fix my loop {{nonce}} [[classify:code]]"}]}""";
        using var response = await PostAsync(fixture.Http, "/api/chat", body);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("qwen2.5-coder", Header(response, "x-router-model"));
        Assert.Equal("code", Header(response, "x-router-category"));
        var (_, lines) = await ReadLinesAsync(response);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal("qwen2.5-coder", l.GetProperty("model").GetString()));
        Assert.Contains("no streaming backend", Content(lines[0]));
        Assert.True(IsDone(lines[1]));
        // No backend counted tokens, so no counts are made up.
        Assert.False(lines[1].TryGetProperty("eval_count", out _));
        Assert.False(lines[1].TryGetProperty("prompt_eval_count", out _));
        Assert.DoesNotContain(fixture.Simulator.Journal.Requests, r => r.LastUserMessage?.Contains(nonce) == true);
    }

    [Fact]
    public async Task A_client_that_leaves_mid_stream_closes_the_backend_connection()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$"""{"model":"auto","prompt":"Long {{nonce}} [[sim:tokens=2000,tps=20]]"}""";
        var response = await PostAsync(fixture.Http, "/api/generate", body);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Timeouts.Token()));
        Assert.NotNull(await reader.ReadLineAsync(Timeouts.Token()));
        Assert.NotNull(await reader.ReadLineAsync(Timeouts.Token()));
        reader.Dispose();
        response.Dispose();

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, simulated.Outcome);
        Assert.True(simulated.TokensSent < 2000);
    }

    [Fact]
    public async Task The_tags_and_version_bodies_have_Ollama_shape()
    {
        using var tags = await fixture.Http.GetAsync("/api/tags", Timeouts.Token());
        using var tagsBody = System.Text.Json.JsonDocument.Parse(await tags.Content.ReadAsStringAsync(Timeouts.Token()));
        var models = tagsBody.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["auto", "llama3.2", RouterFixture.UpstreamModel], models.Select(m => m.GetProperty("name").GetString()));
        Assert.All(models, m => Assert.Equal(
            ["name", "model", "modified_at", "size", "digest", "details"], m.EnumerateObject().Select(p => p.Name)));

        using var version = await fixture.Http.GetAsync("/api/version", Timeouts.Token());
        using var versionBody = System.Text.Json.JsonDocument.Parse(await version.Content.ReadAsStringAsync(Timeouts.Token()));
        Assert.Equal("version", Assert.Single(versionBody.RootElement.EnumerateObject()).Name);
    }
}
