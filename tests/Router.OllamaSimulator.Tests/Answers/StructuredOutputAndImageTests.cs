using System.Text.Json;
using OpenAI.Chat;
using Router.OllamaSimulator.Tests.OpenAI;

namespace Router.OllamaSimulator.Tests.Answers;

/// <summary>Structured output answers valid JSON in several fragments; images are decoded, recorded and counted in the answer.</summary>
public sealed class StructuredOutputAndImageTests : SimulatorTestBase
{
    private const string Schema = """{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},"tags":{"type":"array","items":{"type":"string"}},"note":{"type":"string"}},"required":["name","age","tags"]}""";

    // The 8 bytes of the PNG signature and 4 more: enough to be sniffed as PNG.
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

    protected override SimulatorOptions CreateOptions()
    {
        var options = base.CreateOptions();
        options.Models = ["llama3.2", "llava"];
        return options;
    }

    [Fact]
    public async Task Ollama_schema_format_streams_an_object_with_the_required_properties_in_fragments()
    {
        var (_, body) = await PostAsync("/api/chat",
            $$"""{"model":"llama3.2","format":{{Schema}},"messages":[{"role":"user","content":"extract"}]}""");
        var lines = NdjsonLines(body);

        Assert.True(lines.Count > 3, $"the JSON came in {lines.Count - 1} fragments");
        var text = string.Concat(lines.Select(l => l.GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal("""{"name":"value","age":1,"tags":["value"]}""", text);

        var recorded = await Journal.WaitForMessageAsync("extract", Timeout);
        Assert.Equal(new SimulatedResponseFormat("json_schema", Schema), recorded.ResponseFormat);
        Assert.Equal(text, recorded.Text);
    }

    [Fact]
    public async Task Ollama_json_format_answers_an_object_holding_the_text()
    {
        var (_, body) = await PostAsync("/api/generate", """{"model":"llama3.2","format":"json","stream":false,"prompt":"as json [[sim:tokens=3]]"}""");
        var answer = JsonDocument.Parse(body).RootElement.GetProperty("response").GetString()!;

        Assert.Equal(SimulatedText.Text(3).TrimEnd(), JsonDocument.Parse(answer).RootElement.GetProperty("answer").GetString());
        Assert.Equal("json", (await Journal.WaitForMessageAsync("as json", Timeout)).ResponseFormat?.Type);
    }

    [Fact]
    public async Task OpenAI_client_json_schema_gets_valid_json_and_the_schema_is_recorded()
    {
        var client = CreateOpenAIClient();
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("person", BinaryData.FromString(Schema), jsonSchemaIsStrict: true) };

        var streamed = new System.Text.StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("person please")], options))
        {
            foreach (var part in update.ContentUpdate) streamed.Append(part.Text);
        }

        Assert.Equal("""{"name":"value","age":1,"tags":["value"]}""", streamed.ToString());
        var recorded = await Journal.WaitForMessageAsync("person please", Timeout);
        Assert.Equal("json_schema", recorded.ResponseFormat?.Type);
        Assert.Equal("person", recorded.ResponseFormat?.Name);
        Assert.True(recorded.ResponseFormat?.Strict);
        Assert.Equal(JsonDocument.Parse(Schema).RootElement.GetRawText(), JsonDocument.Parse(recorded.ResponseFormat!.SchemaJson!).RootElement.GetRawText());

        ChatCompletion plain = await client.CompleteChatAsync([new UserChatMessage("object please")], new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(plain.Content[0].Text).RootElement.ValueKind);
    }

    [Fact]
    public async Task Ollama_images_are_decoded_recorded_and_counted()
    {
        var image = Convert.ToBase64String(Png);
        var (status, body) = await PostAsync("/api/chat",
            $$"""{"model":"llava","stream":false,"messages":[{"role":"user","content":"what is this? [[sim:tokens=2]]","images":["{{image}}","{{image}}"]}]}""");

        Assert.Equal(200, status);
        Assert.Equal("I see 2 images. " + SimulatedText.Text(2), JsonDocument.Parse(body).RootElement.GetProperty("message").GetProperty("content").GetString());
        var recorded = await Journal.WaitForMessageAsync("what is this?", Timeout);
        var images = recorded.Messages[0].Images;
        Assert.Equal(2, images.Count);
        Assert.Equal("image/png", images[0].MediaType);
        Assert.Equal(Png.Length, images[0].ByteLength);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Png)), images[0].Sha256);
    }

    [Fact]
    public async Task OpenAI_image_parts_are_recorded_with_their_text_parts()
    {
        var client = CreateOpenAIClient("llava");
        var message = new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("describe "),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(Png), "image/png", ChatImageDetailLevel.Low),
            ChatMessageContentPart.CreateTextPart("this [[sim:tokens=1]]"));
        ChatCompletion answer = await client.CompleteChatAsync([message]);

        Assert.Equal("I see 1 image. " + SimulatedText.Text(1), answer.Content[0].Text);
        var recorded = await Journal.WaitForMessageAsync("describe", Timeout);
        var sent = recorded.Messages[0];
        Assert.Equal(["describe ", "this [[sim:tokens=1]]"], sent.TextParts);
        Assert.Equal("describe this [[sim:tokens=1]]", sent.Content);
        Assert.Equal(new SimulatedImage("image/png", Png.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Png)), null, "low"), Assert.Single(sent.Images));
    }

    [Fact]
    public async Task Images_for_a_model_without_vision_and_bad_base64_are_400s()
    {
        var (status, body) = await PostAsync("/api/chat",
            """{"model":"llama3.2","messages":[{"role":"user","content":"look","images":["iVBORw0KGgo="]}]}""");
        Assert.Equal(400, status);
        Assert.Equal("""{"error":"registry.ollama.ai/library/llama3.2:latest does not support vision"}""", body);

        (status, body) = await PostAsync("/api/chat", """{"model":"llava","messages":[{"role":"user","content":"look","images":["not base64!"]}]}""");
        Assert.Equal(400, status);
        Assert.Contains("messages[0].images[0]", body, StringComparison.Ordinal);
    }
}
