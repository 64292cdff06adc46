using System.Net.Http.Json;
using System.Text.Json;

namespace Router.WebFront.Tests.Surfaces;

/// <summary>
/// Three Ollama models whose capabilities configuration sets (so the test does not depend on what
/// the simulator reports): <c>llama3.2</c> calls tools but sees no images, <c>llava</c> sees images
/// but calls no tools, <c>qwen3</c> calls tools and thinks.
/// </summary>
public sealed class CapabilityRouterFixture : RouterFixture
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Ollama:Models:0"] = "llama3.2";
        settings["Ollama:Models:1"] = "llava";
        settings["Ollama:Models:2"] = "qwen3";
        Set(settings, "llama3.2", tools: true, vision: false, thinking: false, context: 4096);
        Set(settings, "llava", tools: false, vision: true, thinking: false, context: 4096);
        Set(settings, "qwen3", tools: true, vision: false, thinking: true, context: 40960);
    }

    private static void Set(IDictionary<string, string?> settings, string model, bool tools, bool vision, bool thinking, int context)
    {
        settings[$"Capabilities:Models:{model}:Tools"] = tools.ToString();
        settings[$"Capabilities:Models:{model}:Vision"] = vision.ToString();
        settings[$"Capabilities:Models:{model}:Thinking"] = thinking.ToString();
        settings[$"Capabilities:Models:{model}:ContextLength"] = context.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

[CollectionDefinition(Name)]
public sealed class CapabilityRouterCollection : ICollectionFixture<CapabilityRouterFixture>
{
    public const string Name = "router with capabilities";
}

/// <summary><c>auto</c> picks among the models that can serve the request, and says so when that overrode the classifier.</summary>
[Collection(CapabilityRouterCollection.Name)]
public sealed class CapabilityRoutingTests(CapabilityRouterFixture fixture)
{
    private const string TinyPng = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private static readonly object WeatherTool = new
    {
        type = "function",
        function = new { name = "get_weather", description = "Weather in a city", parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } } },
    };

    private async Task<(int Status, JsonElement Body, string? Reason)> RouteAsync(object body)
    {
        using var response = await fixture.Http.PostAsJsonAsync("/v1/route", body, Timeouts.Token());
        var reason = response.Headers.TryGetValues("x-router-reason", out var values) ? values.Single() : null;
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(), reason);
    }

    [Fact]
    public async Task An_image_goes_to_the_vision_model_when_the_classifiers_choice_cannot_see()
    {
        var (status, body, reason) = await RouteAsync(new
        {
            model = "auto",
            messages = new object[] { new { role = "user", content = new object[] { new { type = "text", text = "What is in this picture?" }, new { type = "image_url", image_url = new { url = TinyPng } } } } },
        });

        Assert.Equal(200, status);
        Assert.Equal("llava", body.GetProperty("model").GetString());
        Assert.Equal("conversation", body.GetProperty("category").GetString());
        Assert.Contains("'llama3.2' lacks vision", body.GetProperty("reason").GetString());
        Assert.Equal(body.GetProperty("reason").GetString(), reason);
        Assert.Equal(["vision"], body.GetProperty("needs").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Tools_go_to_a_tools_model_when_the_classifiers_choice_has_no_backend_for_them()
    {
        // The classifier sends code to qwen2.5-coder, which this router only answers with the standard message.
        var (status, body, _) = await RouteAsync(new
        {
            model = "auto",
            messages = new[] { new { role = "user", content = "Write a function that sums a list [[classify:code]]" } },
            tools = new[] { WeatherTool },
        });

        Assert.Equal(200, status);
        Assert.Equal("llama3.2", body.GetProperty("model").GetString());
        Assert.Equal("code", body.GetProperty("category").GetString());
        Assert.Contains("'qwen2.5-coder' lacks tools", body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task The_classifiers_choice_stands_when_it_can_serve_the_request()
    {
        var (status, body, reason) = await RouteAsync(new
        {
            model = "auto",
            messages = new[] { new { role = "user", content = "What's the weather in Oslo?" } },
            tools = new[] { WeatherTool },
        });

        Assert.Equal((200, "llama3.2"), (status, body.GetProperty("model").GetString()));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("reason").ValueKind);
        Assert.Null(reason);
    }

    [Fact]
    public async Task A_request_no_model_can_serve_is_a_400_naming_what_is_missing()
    {
        var (status, body, _) = await RouteAsync(new
        {
            model = "auto",
            messages = new object[] { new { role = "user", content = new object[] { new { type = "text", text = "Describe and call a tool" }, new { type = "image_url", image_url = new { url = TinyPng } } } } },
            tools = new[] { WeatherTool },
        });

        Assert.Equal(400, status);
        Assert.Equal("no_capable_model", body.GetProperty("code").GetString());
        Assert.Contains("vision", body.GetProperty("detail").GetString());
        Assert.Contains("tools", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_prompt_longer_than_the_models_context_goes_to_a_model_with_room()
    {
        // About 5,000 tokens by the router's estimate: over llama3.2's 4,096 here, within qwen3's 40,960.
        var (status, body, _) = await RouteAsync(new { model = "auto", messages = new[] { new { role = "user", content = new string('a', 20_000) } } });

        Assert.Equal((200, "qwen3"), (status, body.GetProperty("model").GetString()));
        Assert.Contains("context", body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Asked_for_thinking_goes_to_a_thinking_model()
    {
        var (status, body, _) = await RouteAsync(new { model = "auto", think = true, messages = new[] { new { role = "user", content = "Why is the sky blue?" } } });

        Assert.Equal((200, "qwen3"), (status, body.GetProperty("model").GetString()));
        Assert.Contains("thinking", body.GetProperty("reason").GetString());
    }
}
