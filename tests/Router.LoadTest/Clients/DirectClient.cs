using Router.LoadTest.Workload;

namespace Router.LoadTest.Clients;

/// <summary><c>POST {ollama}/api/chat</c> with <c>"stream":true</c>, answered by NDJSON: the router's backend without the router.</summary>
internal sealed class DirectClient(HttpClient http, RequestPlan plan, Uri baseUrl) : StreamClient(http, plan)
{
    public override string Name => "direct";

    public override Uri Endpoint { get; } = new(baseUrl.AbsoluteUri.TrimEnd('/') + "/api/chat");

    protected override HttpRequestMessage CreateRequest(PlannedRequest planned) =>
        new(HttpMethod.Post, Endpoint) { Content = JsonContent(Plan.DirectBodies[planned.PromptIndex]) };

    protected override StreamProtocol CreateProtocol(RequestRecord record, IStreamObserver observer) => new NdjsonProtocol(record, observer);
}
