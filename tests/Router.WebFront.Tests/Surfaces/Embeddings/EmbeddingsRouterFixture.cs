using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OllamaSharp;
using OpenAI;
using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.Embeddings;

/// <summary>
/// A router in Keys mode serving the embedding model <c>nomic-embed-text</c> and the chat model
/// <c>llama3.2</c> from the simulator's Ollama API, <see cref="RouterFixture.UpstreamModel"/> (a chat
/// model) and <see cref="EmbedUpstream"/> (an embedding model) from its OpenAI API, and the alias
/// <c>text-embedding-3-small</c> → <c>nomic-embed-text</c>.
/// </summary>
public sealed class EmbeddingsRouterFixture : RouterFixture
{
    public const string AdminKey = "admin-key-for-embedding-tests-0123456789";

    /// <summary>The Ollama embedding model.</summary>
    public const string OllamaModel = "nomic-embed-text";

    /// <summary>An upstream model that embeds (the simulator's <c>mxbai-embed-large</c> behind the router's name).</summary>
    public const string EmbedUpstream = "embed-upstream";

    /// <summary>What the upstream is asked for.</summary>
    public const string EmbedUpstreamModel = "mxbai-embed-large";

    /// <summary>An alias clients written for a hosted API send.</summary>
    public const string Alias = "text-embedding-3-small";

    protected override void ConfigureSimulator(SimulatorOptions options) => options.Models = ["llama3.2", OllamaModel, EmbedUpstreamModel, "qwen2.5-coder"];

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Auth:Mode"] = "Keys";
        settings["Auth:AdminKey"] = AdminKey;
        settings["Auth:FailedAuthBurst"] = "100000";
        settings["Auth:AdminRequestsPerMinute"] = "100000";
        settings["Ollama:Models:0"] = "llama3.2";
        settings["Ollama:Models:1"] = OllamaModel;
        settings["Upstreams:1:Name"] = EmbedUpstream;
        settings["Upstreams:1:BaseUrl"] = Simulator.OpenAIBaseUrl.ToString();
        settings["Upstreams:1:Model"] = EmbedUpstreamModel;
        settings[$"Models:Aliases:{Alias}"] = OllamaModel;
    }

    /// <summary>A new key of a new user, with <paramref name="limits"/> in the admin API's shape.</summary>
    public async Task<string> CreateKeyAsync(object? limits = null) => (await CreateKeyWithIdAsync(limits)).Key;

    /// <summary>The same, with the key's id for the admin API.</summary>
    public async Task<(string Id, string Key)> CreateKeyWithIdAsync(object? limits = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/keys")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { user_id = "embed-" + Guid.NewGuid().ToString("N")[..8], limits }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await Http.SendAsync(request, Timeouts.Token());
        Assert.Equal(201, (int)response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    /// <summary>The key's <c>usage</c> as the admin API reports it.</summary>
    public async Task<JsonElement> UsageAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/keys/{id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await Http.SendAsync(request, Timeouts.Token());
        Assert.Equal(200, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");
    }

    /// <summary>OllamaSharp pointed at the router with a key.</summary>
    public OllamaApiClient Ollama(string key)
    {
        var http = new HttpClient { BaseAddress = Router.BaseUrl, Timeout = Timeouts.Event };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return new OllamaApiClient(http);
    }

    /// <summary>The official OpenAI client pointed at the router's <c>/v1</c> with a key; no retries, so a refusal is seen as sent.</summary>
    public OpenAIClient OpenAi(string key) =>
        new(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(Router.BaseUrl, "/v1"), RetryPolicy = new ClientRetryPolicy(0) });

    /// <summary>A raw POST with a key, for the wire shapes the clients hide.</summary>
    public async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string path, string key, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await Http.SendAsync(request, Timeouts.Token());
        var text = await response.Content.ReadAsStringAsync(Timeouts.Token());
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddingsRouterCollection : ICollectionFixture<EmbeddingsRouterFixture>
{
    public const string Name = "router for embeddings";
}
