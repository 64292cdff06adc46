using System.ClientModel;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI.Responses;

namespace Router.WebFront.Tests.Surfaces.Responses;

/// <summary>A stored response's input items, cancelling (the router runs no background responses) and counting input tokens.</summary>
[Collection(ResponsesRouterCollection.Name)]
public sealed class ResponseItemsTests(ResponsesRouterFixture fixture)
{
    private static string User() => "items-" + Guid.NewGuid().ToString("N");

    private async Task<ResponseResult> CreateWithFiveItemsAsync(ResponsesClient client, string nonce)
    {
        var options = new CreateResponseOptions(ResponsesRouterFixture.ToolsModel,
        [
            ResponseItem.CreateUserMessageItem($"what is the weather {nonce}"),
            ResponseItem.CreateAssistantMessageItem("Let me look."),
            ResponseItem.CreateFunctionCallItem("call_1", "get_weather", BinaryData.FromString("""{"city":"Oslo"}""")),
            ResponseItem.CreateFunctionCallOutputItem("call_1", "rain"),
            ResponseItem.CreateUserMessageItem($"so, an umbrella? {nonce} [[sim:tokens=3]]"),
        ]);
        return await client.CreateResponseAsync(options, Timeouts.Token());
    }

    [Fact]
    public async Task The_official_client_reads_the_input_items_newest_first_and_in_order_when_asked()
    {
        var client = fixture.Client(User());
        var nonce = Guid.NewGuid().ToString("N");
        var created = await CreateWithFiveItemsAsync(client, nonce);

        var newestFirst = new List<ResponseItem>();
        await foreach (var item in client.GetResponseInputItemsAsync(created.Id, cancellationToken: Timeouts.Token())) newestFirst.Add(item);
        Assert.Equal(5, newestFirst.Count);
        var last = Assert.IsAssignableFrom<MessageResponseItem>(newestFirst[0]);
        Assert.Equal(MessageRole.User, last.Role);
        Assert.Equal($"so, an umbrella? {nonce} [[sim:tokens=3]]", Assert.Single(last.Content).Text);

        var inOrder = new List<ResponseItem>();
        await foreach (var item in client.GetResponseInputItemsAsync(new ResponseItemCollectionOptions(created.Id) { Order = ResponseItemCollectionOrder.Ascending }, Timeouts.Token()))
        {
            inOrder.Add(item);
        }

        Assert.Equal(newestFirst.Select(i => i.Id).Reverse(), inOrder.Select(i => i.Id));
        Assert.Equal($"what is the weather {nonce}", Assert.Single(Assert.IsAssignableFrom<MessageResponseItem>(inOrder[0]).Content).Text);
        var answer = Assert.IsAssignableFrom<MessageResponseItem>(inOrder[1]);
        Assert.Equal((MessageRole.Assistant, "Let me look."), (answer.Role, Assert.Single(answer.Content).Text));
        var call = Assert.IsAssignableFrom<FunctionCallResponseItem>(inOrder[2]);
        Assert.Equal(("call_1", "get_weather", """{"city":"Oslo"}"""), (call.CallId, call.FunctionName, call.FunctionArguments.ToString()));
        var output = Assert.IsAssignableFrom<FunctionCallOutputResponseItem>(inOrder[3]);
        Assert.Equal(("call_1", "rain"), (output.CallId, output.FunctionOutput));
    }

    [Fact]
    public async Task Input_items_page_with_limit_and_after_and_another_user_gets_404()
    {
        var user = User();
        var created = await CreateWithFiveItemsAsync(fixture.Client(user), Guid.NewGuid().ToString("N"));

        var first = await GetAsync(user, $"/v1/responses/{created.Id}/input_items?limit=2&order=asc");
        Assert.Equal("list", first.GetProperty("object").GetString());
        Assert.Equal(["message", "message"], first.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.True(first.GetProperty("has_more").GetBoolean());
        var second = await GetAsync(user, $"/v1/responses/{created.Id}/input_items?limit=2&order=asc&after={first.GetProperty("last_id").GetString()}");
        Assert.Equal(["function_call", "function_call_output"], second.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        var third = await GetAsync(user, $"/v1/responses/{created.Id}/input_items?limit=2&order=asc&after={second.GetProperty("last_id").GetString()}");
        Assert.Single(third.GetProperty("data").EnumerateArray());
        Assert.False(third.GetProperty("has_more").GetBoolean());

        using var other = new HttpRequestMessage(HttpMethod.Get, $"/v1/responses/{created.Id}/input_items");
        other.Headers.Add("X-User-Id", User());
        using var notFound = await fixture.Http.SendAsync(other, Timeouts.Token());
        Assert.Equal(404, (int)notFound.StatusCode);

        using var bad = new HttpRequestMessage(HttpMethod.Get, $"/v1/responses/{created.Id}/input_items?limit=500");
        bad.Headers.Add("X-User-Id", user);
        using var refused = await fixture.Http.SendAsync(bad, Timeouts.Token());
        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Equal("limit", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Background_is_refused_and_cancel_answers_400_for_a_finished_response_and_404_for_an_unknown_one()
    {
        var client = fixture.Client(User());
        var background = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(new CreateResponseOptions(ResponsesRouterFixture.ToolsModel,
            [ResponseItem.CreateUserMessageItem("later please")]) { BackgroundModeEnabled = true }, Timeouts.Token()));
        Assert.Equal(400, background.Status);
        Assert.Contains("background", background.Message, StringComparison.Ordinal);

        ResponseResult created = await client.CreateResponseAsync(ResponsesRouterFixture.ToolsModel, "done already [[sim:tokens=2]]", cancellationToken: Timeouts.Token());
        var cancel = await Assert.ThrowsAsync<ClientResultException>(() => client.CancelResponseAsync(created.Id, Timeouts.Token()));
        Assert.Equal(400, cancel.Status);
        Assert.Contains("background", cancel.Message, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => client.CancelResponseAsync("resp_" + Guid.NewGuid().ToString("N"), Timeouts.Token()));
        Assert.Equal(404, unknown.Status);
    }

    [Fact]
    public async Task Input_tokens_counts_the_whole_input_a_continuation_would_send()
    {
        var user = User();
        ResponseResult first = await fixture.Client(user).CreateResponseAsync(ResponsesRouterFixture.ToolsModel, new string('a', 400) + " [[sim:tokens=4]]",
            cancellationToken: Timeouts.Token());

        var alone = await CountAsync(user, new { model = ResponsesRouterFixture.ToolsModel, input = new string('b', 40) });
        Assert.Equal("response.input_tokens", alone.GetProperty("object").GetString());
        var single = alone.GetProperty("input_tokens").GetInt32();
        Assert.InRange(single, 10, 12);

        var continued = await CountAsync(user, new { model = ResponsesRouterFixture.ToolsModel, input = new string('b', 40), previous_response_id = first.Id });
        Assert.True(continued.GetProperty("input_tokens").GetInt32() >= single + 100, $"the stored conversation is counted: {continued}");
    }

    private async Task<JsonElement> GetAsync(string user, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-User-Id", user);
        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<JsonElement> CountAsync(string user, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses/input_tokens")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-User-Id", user);
        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"input_tokens: {(int)response.StatusCode} {raw}");
        return JsonDocument.Parse(raw).RootElement.Clone();
    }
}
