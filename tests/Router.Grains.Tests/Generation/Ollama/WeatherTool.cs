using OllamaChat = OllamaSharp.Models.Chat;

namespace Router.Grains.Tests.Generation.Ollama;

/// <summary>A tool the simulator answers with a call (its arguments named after the schema's properties).</summary>
internal static class WeatherTool
{
    public static OllamaChat.Tool Create() => new()
    {
        Function = new OllamaChat.Function
        {
            Name = "get_weather",
            Description = "The weather in a city",
            Parameters = new OllamaChat.Parameters
            {
                Properties = new() { ["city"] = new OllamaChat.Property { Type = "string" } },
                Required = ["city"],
            },
        },
    };
}
