using System.Text.Json;
using Router.LoadTest.Workload;

namespace Router.LoadTest.Clients;

/// <summary>
/// <c>POST {base}/v1/chat/completions</c> with <c>"stream":true</c> and the usage chunk asked for, answered
/// by OpenAI's server-sent events: any OpenAI-compatible gateway (Portkey's, told by headers where to
/// relay), or the router's own OpenAI surface. <c>X-User-Id</c> goes along for the router's identity.
/// </summary>
internal sealed class OpenAiClient : StreamClient
{
    private readonly byte[][] _bodies;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;

    public OpenAiClient(HttpClient http, RequestPlan plan, Uri baseUrl, string name, string model, IReadOnlyList<KeyValuePair<string, string>> headers)
        : base(http, plan)
    {
        Name = name;
        Endpoint = new(baseUrl.AbsoluteUri.TrimEnd('/') + "/v1/chat/completions");
        _headers = headers;
        _bodies = plan.Prompts.Select(p => JsonSerializer.SerializeToUtf8Bytes(new Body(model, [new Message("user", p)], true, new StreamOptions(true)), BodyJson.Options)).ToArray();
    }

    public override string Name { get; }

    public override Uri Endpoint { get; }

    protected override HttpRequestMessage CreateRequest(PlannedRequest planned)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = JsonContent(_bodies[planned.PromptIndex]) };
        request.Headers.TryAddWithoutValidation("X-User-Id", planned.UserId);
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        foreach (var (header, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return request;
    }

    protected override StreamProtocol CreateProtocol(RequestRecord record, IStreamObserver observer) => new OpenAiSseProtocol(record, observer);

    protected override string? CheckContentType(string? mediaType) =>
        string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"expected text/event-stream, got '{mediaType ?? "(none)"}'";

    private sealed record Message(string Role, string Content);

    private sealed record StreamOptions(bool IncludeUsage);

    private sealed record Body(string Model, Message[] Messages, bool Stream, StreamOptions StreamOptions);

    private static class BodyJson
    {
        public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    }
}
