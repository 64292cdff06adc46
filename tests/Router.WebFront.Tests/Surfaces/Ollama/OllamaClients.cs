using OllamaSharp;

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

    /// <summary>Words as the simulator counts them for <c>prompt_eval_count</c>.</summary>
    public static int Words(IEnumerable<string?> texts) =>
        texts.Sum(t => (t ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
}
