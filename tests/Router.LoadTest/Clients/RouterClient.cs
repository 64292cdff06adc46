using Router.LoadTest.Workload;

namespace Router.LoadTest.Clients;

/// <summary>
/// <c>POST {router}/complete</c> with <c>X-User-Id</c>, answered by server-sent events. The bare relay of
/// the benchmarks speaks the same surface, so it is driven by this client under its own name.
/// </summary>
internal sealed class RouterClient(HttpClient http, RequestPlan plan, Uri baseUrl, string name = "router") : StreamClient(http, plan)
{
    public override string Name => name;

    public override Uri Endpoint { get; } = new(baseUrl.AbsoluteUri.TrimEnd('/') + "/complete");

    protected override HttpRequestMessage CreateRequest(PlannedRequest planned)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = JsonContent(Plan.RouterBodies[planned.PromptIndex]) };
        request.Headers.TryAddWithoutValidation("X-User-Id", planned.UserId);
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        return request;
    }

    protected override StreamProtocol CreateProtocol(RequestRecord record, IStreamObserver observer) => new SseProtocol(record, observer);

    protected override string? CheckContentType(string? mediaType) =>
        string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"expected text/event-stream, got '{mediaType ?? "(none)"}'";
}
