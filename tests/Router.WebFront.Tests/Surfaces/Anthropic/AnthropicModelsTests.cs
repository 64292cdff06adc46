using System.Net.Http.Json;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Models;

namespace Router.WebFront.Tests.Surfaces.Anthropic;

/// <summary>
/// Anthropic's model listing for the clients that ask for it (they send <c>anthropic-version</c>),
/// OpenAI's for every other client on the same path.
/// </summary>
[Collection(AnthropicRouterCollection.Name)]
public sealed class AnthropicModelsTests(AnthropicRouterFixture fixture)
{
    /// <summary>auto, the served models (the fixture's upstream last), then the aliases (the more specific pattern first).</summary>
    private static readonly string[] Listing = ["auto", "llama3.2", "qwen3", "llava", RouterFixture.UpstreamModel, "claude-opus-*", "claude-*"];

    [Fact]
    public async Task The_official_client_lists_every_nameable_model_page_by_page()
    {
        var first = await fixture.Client().Models.List(new ModelListParams { Limit = 4 }, Timeouts.Token());
        Assert.Equal(Listing[..4], first.Items.Select(m => m.ID));
        Assert.True(first.HasNext(), "a second page");

        var second = await first.Next(Timeouts.Token());
        Assert.Equal(Listing[4..], second.Items.Select(m => m.ID));
        Assert.False(second.HasNext(), "no third page");
        Assert.Contains("auto", Assert.Single(second.Items, m => m.ID == "claude-*").DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_official_client_retrieves_a_served_model_and_an_aliased_name_and_is_told_of_an_unknown_one()
    {
        var client = fixture.Client();
        Assert.Equal("qwen3", (await client.Models.Retrieve("qwen3", new ModelRetrieveParams(), Timeouts.Token())).ID);

        var aliased = await client.Models.Retrieve(AnthropicRouterFixture.ThinkingAlias, new ModelRetrieveParams(), Timeouts.Token());
        Assert.Equal(AnthropicRouterFixture.ThinkingAlias, aliased.ID);
        Assert.Contains("qwen3", aliased.DisplayName, StringComparison.Ordinal);

        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Models.Retrieve("gpt-4o", new ModelRetrieveParams(), Timeouts.Token()));
    }

    [Fact]
    public async Task The_shape_follows_the_anthropic_version_header()
    {
        using var anthropic = new HttpRequestMessage(HttpMethod.Get, "/v1/models?limit=2&after_id=llama3.2");
        anthropic.Headers.Add("anthropic-version", "2023-06-01");
        anthropic.Headers.Add("x-api-key", "sk-ant-not-checked-in-open-mode");
        using var listed = await fixture.Http.SendAsync(anthropic, Timeouts.Token());
        var page = await listed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["qwen3", "llava"], page.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("model", page.GetProperty("data")[0].GetProperty("type").GetString());
        Assert.Equal("qwen3", page.GetProperty("first_id").GetString());
        Assert.Equal("llava", page.GetProperty("last_id").GetString());
        Assert.True(page.GetProperty("has_more").GetBoolean());
        Assert.False(page.TryGetProperty("object", out _));

        var openAi = await fixture.Http.GetFromJsonAsync<JsonElement>("/v1/models", Timeouts.Token());
        Assert.Equal("list", openAi.GetProperty("object").GetString());
        Assert.Equal(Listing, openAi.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.False(openAi.TryGetProperty("has_more", out _));

        var one = await fixture.Http.GetFromJsonAsync<JsonElement>("/v1/models/llava", Timeouts.Token());
        Assert.Equal(("llava", "model"), (one.GetProperty("id").GetString(), one.GetProperty("object").GetString()));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=many", "limit")]
    [InlineData("after_id=nobody", "after_id")]
    public async Task A_bad_paging_parameter_is_a_400_in_anthropics_shape_naming_it(string query, string parameter)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/models?{query}");
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith(parameter, body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
