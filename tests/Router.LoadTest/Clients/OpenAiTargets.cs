using Router.LoadTest.Options;
using Router.LoadTest.Workload;

namespace Router.LoadTest.Clients;

/// <summary>The targets that speak OpenAI's streamed chat completions, each with the process whose CPU is read for it.</summary>
internal static class OpenAiTargets
{
    /// <summary>
    /// The router's OpenAI surface (<c>--router-openai</c>, model <c>auto</c>: the classifier picks, as on
    /// <c>/complete</c>) and an OpenAI-compatible gateway (<c>--openai-url</c>, asked for <c>--model</c>).
    /// </summary>
    public static IEnumerable<(StreamClient Client, int? Pid)> Create(HttpClient http, RequestPlan plan, LoadTestOptions o)
    {
        if (o.RouterOpenAi)
        {
            yield return (new OpenAiClient(http, plan, o.RouterUrl, "router-oai", "auto", []), o.RouterPid);
        }

        if (o.OpenAiUrl is { } url)
        {
            yield return (new OpenAiClient(http, plan, url, o.OpenAiName, o.Model, o.OpenAiHeaders), o.OpenAiPid);
        }
    }
}
