using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;

namespace Router.WebFront.Tests.Surfaces.Ollama;

internal static class OllamaClients
{
    /// <summary>A real OllamaSharp client pointed at the router, as a user.</summary>
    public static OllamaApiClient For(RouterFixture fixture, string user)
    {
        var http = new HttpClient { BaseAddress = fixture.Router.BaseUrl, Timeout = Timeouts.Event };
        http.DefaultRequestHeaders.Add("X-User-Id", user);
        return new OllamaApiClient(http);
    }

    /// <summary>Every object of a chat answer (one when not streaming), the last being the done object.</summary>
    public static async Task<List<ChatResponseStream>> ChatAsync(OllamaApiClient client, ChatRequest request)
    {
        var chunks = new List<ChatResponseStream>();
        await foreach (var chunk in client.ChatAsync(request, Timeouts.Token()))
        {
            chunks.Add(chunk!);
        }

        Assert.True(chunks.Count > 0, "the answer has no objects");
        return chunks;
    }

    /// <summary>Every object of a generate answer (one when not streaming), the last being the done object.</summary>
    public static async Task<List<GenerateResponseStream>> GenerateAsync(OllamaApiClient client, GenerateRequest request)
    {
        var lines = new List<GenerateResponseStream>();
        await foreach (var line in client.GenerateAsync(request, Timeouts.Token()))
        {
            lines.Add(line!);
        }

        Assert.True(lines.Count > 0, "the answer has no objects");
        return lines;
    }

    /// <summary>Words as the simulator counts them for <c>prompt_eval_count</c>.</summary>
    public static int Words(IEnumerable<string?> texts) =>
        texts.Sum(t => (t ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
}
