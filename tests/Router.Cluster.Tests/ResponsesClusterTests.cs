using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.Cluster.Tests.Infrastructure;

namespace Router.Cluster.Tests;

/// <summary>
/// Stored responses of the Responses API across a cluster: two silos and two web fronts as processes
/// on Redis. A response made on one web front is continued, read and deleted through the other, for
/// its user only; its state lives in the cluster's store, not in either web front.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ResponsesClusterTests(ClusterServices services, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Previous_response_id_continues_through_another_web_front_for_the_same_user_only()
    {
        await using var cluster = await LocalCluster.StartAsync(services, silos: 2, webFronts: 2);
        var (first, second) = (cluster.WebFronts[0].Http, cluster.WebFronts[1].Http);
        var user = "responses-" + cluster.ClusterId;
        var nonce = Guid.NewGuid().ToString("N");

        var (status, created) = await SendAsync(first, HttpMethod.Post, "/v1/responses", user,
            $$"""{"model":"llama3.2","input":"remember {{nonce}} [[sim:tokens=4]]"}""");
        Assert.True(status == 200, $"create on web front 1: {status} {created}");
        var id = created.GetProperty("id").GetString()!;
        var firstText = created.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString();

        (status, var continued) = await SendAsync(second, HttpMethod.Post, "/v1/responses", user,
            $$"""{"model":"llama3.2","previous_response_id":"{{id}}","input":"recall {{nonce}}"}""");
        Assert.True(status == 200, $"continue on web front 2: {status} {continued}");
        Assert.Equal(id, continued.GetProperty("previous_response_id").GetString());
        var simulated = await services.Simulator.Journal.WaitForMessageAsync($"recall {nonce}", Timeout);
        Assert.Equal(["user", "assistant", "user"], simulated.Messages.Select(m => m.Role));
        Assert.Equal($"remember {nonce} [[sim:tokens=4]]", simulated.Messages[0].Content);
        Assert.Equal(firstText, simulated.Messages[1].Content);

        (status, var got) = await SendAsync(second, HttpMethod.Get, $"/v1/responses/{id}", user);
        Assert.True(status == 200, $"get on web front 2: {status} {got}");
        Assert.Equal(firstText, got.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());

        (status, var stranger) = await SendAsync(second, HttpMethod.Post, "/v1/responses", "someone-else",
            $$"""{"model":"llama3.2","previous_response_id":"{{id}}","input":"steal"}""");
        Assert.True(status == 404, $"another user's continuation: {status} {stranger}");
        Assert.Equal("previous_response_id", stranger.GetProperty("error").GetProperty("param").GetString());

        (status, _) = await SendAsync(first, HttpMethod.Delete, $"/v1/responses/{id}", user);
        Assert.Equal(200, status);
        (status, _) = await SendAsync(second, HttpMethod.Get, $"/v1/responses/{id}", user);
        Assert.Equal(404, status);
        output.WriteLine($"response {id}: made on web front 1, continued and read on web front 2, deleted on 1, gone on 2");
    }

    private static async Task<(int Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, string user, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-User-Id", user);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var timeout = new CancellationTokenSource(Timeout);
        using var response = await http.SendAsync(request, timeout.Token);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
