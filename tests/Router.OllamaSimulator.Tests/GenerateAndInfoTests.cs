using System.Net;
using OllamaSharp.Models;

namespace Router.OllamaSimulator.Tests;

public sealed class GenerateAndInfoTests : SimulatorTestBase
{
    [Fact]
    public async Task Generate_streams_response_tokens_and_ends_with_context_and_counters()
    {
        using var client = CreateClient("qwen2.5-coder");
        var tokens = new List<string>();
        GenerateDoneResponseStream? done = null;
        await foreach (var chunk in client.GenerateAsync(new GenerateRequest { Model = "qwen2.5-coder", Prompt = "write a loop [[sim:tokens=7]]" }))
        {
            Assert.NotNull(chunk);
            if (chunk is GenerateDoneResponseStream final)
            {
                done = final;
            }
            else
            {
                tokens.Add(chunk.Response);
            }
        }

        Assert.Equal(SimulatedText.Tokens(7), tokens);
        Assert.NotNull(done);
        Assert.Equal(7, done.EvalCount);
        Assert.Equal(4, done.PromptEvalCount);
        Assert.Equal("stop", done.DoneReason);
#pragma warning disable CS0618 // Deprecated by Ollama, but still sent by /api/generate; clients may still read it.
        Assert.NotNull(done.Context);
        Assert.NotEmpty(done.Context);
#pragma warning restore CS0618

        var recorded = await Journal.WaitForMessageAsync("write a loop", Timeout);
        Assert.Equal(SimulatedEndpoint.Generate, recorded.Endpoint);
        Assert.Equal("qwen2.5-coder", recorded.Model);
        Assert.Equal(SimulatedOutcome.Completed, recorded.Outcome);
    }

    [Fact]
    public async Task Tags_list_the_configured_models_with_latest_tags_and_details()
    {
        using var client = CreateClient();
        var models = (await client.ListLocalModelsAsync()).ToList();

        Assert.Equal(["llama3.2:latest", "qwen2.5-coder:latest", "deepseek-r1:latest"], models.Select(m => m.Name));
        var llama = models[0];
        Assert.Equal("llama", llama.Details.Family);
        Assert.Equal("gguf", llama.Details.Format);
        Assert.Equal("Q4_K_M", llama.Details.QuantizationLevel);
        Assert.True(llama.Size > 0);
        Assert.Equal(64, llama.Digest.Length);
    }

    [Fact]
    public async Task Version_and_root_answer_like_ollama()
    {
        using var client = CreateClient();
        Assert.Equal("0.12.0", await client.GetVersionAsync());
        Assert.True(await client.IsRunningAsync());

        using var http = CreateHttpClient();
        Assert.Equal("Ollama is running", await http.GetStringAsync("/"));
        Assert.Equal("""{"version":"0.12.0"}""", await http.GetStringAsync("/api/version"));
    }

    [Fact]
    public async Task Stats_count_outcomes_and_reset_clears_the_journal()
    {
        using var http = CreateHttpClient();
        using (var ok = await http.PostAsync("/api/generate", Json("""{"model":"llama3.2","prompt":"a","stream":false}""")))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var missing = await http.PostAsync("/api/generate", Json("""{"model":"nope","prompt":"b"}""")))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        Assert.Equal(
            """{"active_streams":0,"total":2,"completed":1,"disconnected":0,"faulted":1,"cut":0,"stalled":0}""",
            await http.GetStringAsync("/sim/stats"));

        using var reset = await http.PostAsync("/sim/reset", content: null);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty(Journal.Requests);
        Assert.Equal(0, Journal.Stats.Total);
    }

    internal static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
