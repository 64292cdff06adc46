using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>What the client sends reaches the model whole and alone: images, formats, the conversation, options, keep_alive.</summary>
[Collection(OllamaFidelityCollection.Name)]
public sealed class OllamaClientInputTests(OllamaFidelityFixture fixture)
{
    // A PNG signature and header, then bytes of our own: enough for a media type and a checksum.
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4, 5, 6, 7];

    private OllamaApiClient Client(string user) => OllamaClients.For(fixture, user);

    [Theory]
    [InlineData("llama3.2", true)]
    [InlineData("auto", false)]
    public async Task An_image_reaches_the_model_on_chat(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new ChatRequest
        {
            Model = model,
            Stream = stream,
            Messages = [new Message(ChatRole.User, $"What is on it? {nonce}", [Convert.ToBase64String(Png)])],
        };

        var chunks = await OllamaClients.ChatAsync(Client("image-" + model), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        var image = Assert.Single(Assert.Single(simulated.Messages).Images);
        Assert.Equal(("image/png", Png.Length, Convert.ToHexStringLower(SHA256.HashData(Png))), (image.MediaType, image.ByteLength, image.Sha256));
        Assert.StartsWith("I see 1 image. ", string.Concat(chunks.Select(c => c.Message?.Content)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto", true)]
    [InlineData("llama3.2", false)]
    public async Task An_image_reaches_the_model_on_generate(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new GenerateRequest { Model = model, Stream = stream, Prompt = $"Describe {nonce}", Images = [Convert.ToBase64String(Png)] };

        var lines = await OllamaClients.GenerateAsync(Client("image-gen-" + model), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        var user = Assert.Single(simulated.Messages);
        Assert.Equal(("user", $"Describe {nonce}"), (user.Role, user.Content));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Png)), Assert.Single(user.Images).Sha256);
        Assert.Equal(simulated.Text, string.Concat(lines.Select(l => l.Response)));
    }

    [Theory]
    [InlineData("auto", true)]
    [InlineData("llama3.2", false)]
    public async Task A_json_schema_reaches_the_model_and_the_answer_follows_it(string model, bool stream)
    {
        var nonce = Guid.NewGuid().ToString("N");
        const string schema = """{"type":"object","properties":{"city":{"type":"string"},"rain":{"type":"boolean"}},"required":["city","rain"]}""";
        var request = new ChatRequest
        {
            Model = model,
            Stream = stream,
            Messages = [new Message(ChatRole.User, $"Weather as JSON {nonce}")],
            Format = JsonDocument.Parse(schema).RootElement,
        };

        var chunks = await OllamaClients.ChatAsync(Client("schema-" + model), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal("json_schema", simulated.ResponseFormat!.Type);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(schema), JsonNode.Parse(simulated.ResponseFormat.SchemaJson!)), simulated.ResponseFormat.SchemaJson);
        var answer = JsonNode.Parse(string.Concat(chunks.Select(c => c.Message?.Content)))!.AsObject();
        Assert.Equal(["city", "rain"], answer.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Json_mode_reaches_the_model()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new GenerateRequest { Model = "auto", Prompt = $"As JSON {nonce}", Format = "json" };

        var lines = await OllamaClients.GenerateAsync(Client("json-mode"), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(("json", null), (simulated.ResponseFormat!.Type, simulated.ResponseFormat.SchemaJson));
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(string.Concat(lines.Select(l => l.Response))).RootElement.ValueKind);
    }

    [Theory]
    [InlineData("llama3.2", true)]
    [InlineData("auto", false)]
    public async Task A_four_message_conversation_with_a_system_message_reaches_the_model_exactly_and_alone(string model, bool stream)
    {
        var user = "conversation-" + model;
        var client = Client(user);
        // An earlier exchange of the same user: a session that kept turns would add it to the next one.
        var earlier = Guid.NewGuid().ToString("N");
        await OllamaClients.ChatAsync(client, new ChatRequest { Model = model, Messages = [new Message(ChatRole.User, $"Remember {earlier}")] });
        await fixture.Simulator.Journal.WaitForMessageAsync(earlier, Timeouts.Event);

        var nonce = Guid.NewGuid().ToString("N");
        (string Role, string Content)[] conversation =
        [
            ("system", "You answer in one sentence."),
            ("user", "What is a lane?"),
            ("assistant", "A stream the web front reads."),
            ("user", $"And a silo? {nonce}"),
        ];
        var request = new ChatRequest { Model = model, Stream = stream, Messages = [.. conversation.Select(m => new Message(new ChatRole(m.Role), m.Content))] };

        var chunks = await OllamaClients.ChatAsync(client, request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(conversation, simulated.Messages.Select(m => (m.Role, m.Content!)));
        Assert.All(simulated.Messages, m => Assert.Empty(m.Images));
        Assert.All(simulated.Messages, m => Assert.Empty(m.ToolCalls));
        Assert.All(simulated.Messages, m => Assert.Null(m.Thinking));
        Assert.Empty(simulated.Tools);
        Assert.Null(simulated.ResponseFormat);
        Assert.Null(simulated.Content.Think);
        Assert.Equal(simulated.Text, string.Concat(chunks.Select(c => c.Message?.Content)));
    }

    [Fact]
    public async Task Every_options_entry_but_stop_reaches_the_model()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var options = new RequestOptions
        {
            MiroStat = 2, MiroStatEta = 0.25f, MiroStatTau = 4.5f, NumCtx = 4096, NumGqa = 8, NumGpu = 1, MainGpu = 0, NumBatch = 256,
            NumThread = 2, NumKeep = 5, RepeatLastN = 32, RepeatPenalty = 1.125f, PresencePenalty = 0.5f, FrequencyPenalty = 0.25f,
            Temperature = 0.75f, Seed = 42, Stop = ["END", "HALT"], TfsZ = 1.5f, NumPredict = 64, TopK = 20, TopP = 0.875f, MinP = 0.0625f,
            TypicalP = 0.5f, PenalizeNewline = true, UseMmap = false, UseMlock = true, LowVram = true, F16kv = false, LogitsAll = false,
            VocabOnly = false, Numa = true,
        };
        var request = new ChatRequest { Model = "auto", Messages = [new Message(ChatRole.User, $"Options {nonce}")], Options = options };

        await OllamaClients.ChatAsync(Client("options"), request);

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        var sent = JsonSerializer.SerializeToNode(options)!.AsObject();
        var received = JsonNode.Parse(simulated.Content.OptionsJson!)!.AsObject();
        Assert.Equal(31, sent.Count);

        // Stop sequences are the router's to apply (it names the one that matched), so they stay behind.
        Assert.True(sent.Remove("stop"), "the client sent stop sequences");
        Assert.False(received.ContainsKey("stop"), "stop sequences are applied by the router, not sent to the model");
        Assert.Equal(sent.Select(p => p.Key).Order(), received.Select(p => p.Key).Order());
        foreach (var (name, value) in sent)
        {
            Assert.True(JsonNode.DeepEquals(value, received[name]), $"option {name}: sent {value?.ToJsonString()}, the model got {received[name]?.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData("\"10m\"", "10m")]
    [InlineData("300", "300s")]
    [InlineData("-1", "-1s")]
    public async Task Keep_alive_reaches_the_model_as_a_duration(string keepAlive, string expected)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$"""{"model":"auto","messages":[{"role":"user","content":"Stay {{nonce}}"}],"keep_alive":{{keepAlive}},"stream":false}""";
        using var response = await OllamaHttp.PostAsync(fixture.Http, "/api/chat", body);

        Assert.Equal(200, (int)response.StatusCode);
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(expected, simulated.Content.KeepAlive);
    }

    [Fact]
    public async Task Keep_alive_from_OllamaSharp_reaches_the_model()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var request = new GenerateRequest { Model = "llama3.2", Prompt = $"Stay {nonce}", KeepAlive = "1h30m" };

        await OllamaClients.GenerateAsync(Client("keep-alive"), request);

        Assert.Equal("1h30m", (await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event)).Content.KeepAlive);
    }
}
