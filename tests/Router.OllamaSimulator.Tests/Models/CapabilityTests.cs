using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using OllamaSharp.Models;
using Router.OllamaSimulator.Hosting;
using Router.OllamaSimulator.Tests.Answers;

namespace Router.OllamaSimulator.Tests.Models;

/// <summary><c>/api/show</c> reports capabilities and context length per model; a request needing a missing capability is refused as Ollama does.</summary>
public sealed class CapabilityTests : SimulatorTestBase
{
    protected override SimulatorOptions CreateOptions()
    {
        var options = base.CreateOptions();
        options.Models = ["llama3.2", "qwen2.5-coder", "deepseek-r1", "llava", "nomic-embed-text", "house-model"];
        options.ModelProfiles["house-model"] = new SimulatedModelProfile { Capabilities = ["completion", "vision"], ContextLength = 4096, Family = "gemma3" };
        return options;
    }

    [Theory]
    [InlineData("llama3.2", "llama", 131072, new[] { "completion", "tools" })]
    [InlineData("qwen2.5-coder", "qwen2", 32768, new[] { "completion", "tools", "insert" })]
    [InlineData("deepseek-r1", "qwen2", 131072, new[] { "completion", "thinking" })]
    [InlineData("llava:latest", "llama", 32768, new[] { "completion", "vision" })]
    [InlineData("nomic-embed-text", "nomic-bert", 2048, new[] { "embedding" })]
    [InlineData("house-model", "gemma3", 4096, new[] { "completion", "vision" })]
    public async Task Show_reports_capabilities_family_and_context_length(string model, string family, int contextLength, string[] capabilities)
    {
        using var client = CreateClient();
        var shown = await client.ShowModelAsync(new ShowModelRequest { Model = model });

        Assert.Equal(capabilities, shown.Capabilities);
        Assert.Equal(family, shown.Details.Family);
        Assert.Equal(family, shown.Info.Architecture);
        Assert.Equal(contextLength, ((JsonElement)shown.Info.ExtraInfo![$"{family}.context_length"]!).GetInt32());
    }

    [Fact]
    public async Task Show_of_an_unknown_model_is_ollamas_404_and_tags_agree_with_show()
    {
        var (status, body) = await PostAsync("/api/show", """{"model":"mistral"}""");
        Assert.Equal(404, status);
        Assert.Equal("""{"error":"model 'mistral' not found"}""", body);

        using var client = CreateClient();
        var tags = (await client.ListLocalModelsAsync()).ToList();
        Assert.Equal("gemma3", tags.Single(t => t.Name == "house-model:latest").Details.Family);
        foreach (var tag in tags)
        {
            var shown = await client.ShowModelAsync(new ShowModelRequest { Model = tag.Name });
            Assert.Equal(tag.Details.Family, shown.Details.Family);
        }
    }

    [Fact]
    public async Task Tools_for_a_model_without_tools_are_refused_on_both_apis()
    {
        var (status, body) = await PostAsync("/api/chat",
            $$"""{"model":"deepseek-r1","messages":[{"role":"user","content":"no tools here"}],"tools":[{{ToolCallTests.WeatherTool}}]}""");
        Assert.Equal(400, status);
        Assert.Equal("""{"error":"registry.ollama.ai/library/deepseek-r1:latest does not support tools"}""", body);

        (status, body) = await PostAsync("/v1/chat/completions",
            $$"""{"model":"deepseek-r1","messages":[{"role":"user","content":"no tools here either"}],"tools":[{{ToolCallTests.WeatherTool}}]}""");
        Assert.Equal(400, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("registry.ollama.ai/library/deepseek-r1:latest does not support tools", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());

        (status, body) = await PostAsync("/api/chat", """{"model":"nomic-embed-text","messages":[{"role":"user","content":"chat to an embedder"}]}""");
        Assert.Equal(400, status);
        Assert.Equal("""{"error":"\"nomic-embed-text\" does not support chat"}""", body);
    }

    [Fact]
    public async Task Profiles_bind_from_configuration_and_bad_ones_fail_start_up()
    {
        await using var configured = await StartFromArgsAsync(
            "--Simulator:Models:0=tiny", "--Simulator:ModelProfiles:tiny:Capabilities:0=completion", "--Simulator:ModelProfiles:tiny:ContextLength=2048");
        using var http = new HttpClient { BaseAddress = new Uri(configured.Urls.First()) };
        using var response = await http.PostAsync("/api/show", new StringContent("""{"model":"tiny"}"""));
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["completion"], root.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(2048, root.GetProperty("model_info").GetProperty("tiny.context_length").GetInt32());

        var ex = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var bad = await StartFromArgsAsync("--Simulator:ModelProfiles:tiny:Capabilities:0=telepathy");
        });
        Assert.Contains("telepathy", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartFromArgsAsync(params string[] args)
    {
        var app = SimulatorApp.Build(["--urls", "http://127.0.0.1:0", .. args]);
        try
        {
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
