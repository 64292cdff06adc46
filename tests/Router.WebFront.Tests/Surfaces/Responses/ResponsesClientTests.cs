using System.ClientModel;
using System.Text;
using OpenAI.Responses;
using Router.OllamaSimulator;

namespace Router.WebFront.Tests.Surfaces.Responses;

/// <summary>The official OpenAI <c>ResponsesClient</c> against the router and the simulator: text, tools, images, reasoning, limits and failures.</summary>
[Collection(ResponsesRouterCollection.Name)]
public sealed class ResponsesClientTests(ResponsesRouterFixture fixture)
{
    internal static readonly BinaryData WeatherParameters = BinaryData.FromString(
        """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

    private ResponsesClient Client => fixture.Client("responses-client");

    private static CreateResponseOptions Streamed(CreateResponseOptions options)
    {
        options.StreamingEnabled = true;
        return options;
    }

    /// <summary>JSON texts with the same value, however each is spaced.</summary>
    internal static void JsonEqual(string expected, string actual) =>
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(expected), System.Text.Json.Nodes.JsonNode.Parse(actual)), $"Expected {expected}, got {actual}");

    [Fact]
    public async Task A_streamed_answer_carries_the_backends_text_usage_and_the_instructions()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var options = new CreateResponseOptions(ResponsesRouterFixture.ToolsModel, [ResponseItem.CreateUserMessageItem($"hello {nonce} [[sim:tokens=6]]")])
        {
            Instructions = "Answer in one line.",
        };

        var stream = await ResponsesStreams.ReadAsync(Client.CreateResponseStreamingAsync(Streamed(options), Timeouts.Token()));

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(["system", "user"], simulated.Messages.Select(m => m.Role));
        Assert.Equal("Answer in one line.", simulated.Messages[0].Content);
        Assert.Equal(simulated.Text, stream.Text);
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(stream.Updates[^1]).Response;
        Assert.Equal(ResponseStatus.Completed, completed.Status);
        Assert.Equal(ResponsesRouterFixture.ToolsModel, completed.Model);
        Assert.Equal(simulated.Text, completed.GetOutputText());
        Assert.Equal(simulated.PromptEvalCount, completed.Usage.InputTokenCount);
        Assert.Equal(6, completed.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task A_plain_answer_is_the_whole_response_object()
    {
        var nonce = Guid.NewGuid().ToString("N");
        ResponseResult response = await Client.CreateResponseAsync(ResponsesRouterFixture.ToolsModel, $"plain {nonce} [[sim:tokens=5]]", cancellationToken: Timeouts.Token());

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.StartsWith("resp_", response.Id);
        Assert.Equal(simulated.Text, response.GetOutputText());
        Assert.Equal(5, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task A_tool_call_and_its_result_make_a_round_trip_through_the_stored_response()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var options = new CreateResponseOptions(ResponsesRouterFixture.ToolsModel, [ResponseItem.CreateUserMessageItem($"weather please {nonce}")])
        {
            Tools = { ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: null, "Weather in a city") },
        };

        ResponseResult first = await Client.CreateResponseAsync(options, Timeouts.Token());

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal("get_weather", call.FunctionName);
        JsonEqual("""{"city":"value"}""", call.FunctionArguments.ToString());
        var asked = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal("get_weather", Assert.Single(asked.AnsweredToolCalls).Name);
        Assert.False(string.IsNullOrEmpty(call.CallId));
        Assert.Equal("get_weather", Assert.Single(asked.Tools).Name);

        var next = new CreateResponseOptions(ResponsesRouterFixture.ToolsModel, [ResponseItem.CreateFunctionCallOutputItem(call.CallId, "sunny, 21 C")])
        {
            PreviousResponseId = first.Id,
            Tools = { ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: null, "Weather in a city") },
        };
        ResponseResult second = await Client.CreateResponseAsync(next, Timeouts.Token());

        var answered = await fixture.Simulator.Journal.WaitForAsync(
            r => r.LastUserMessage?.Contains(nonce, StringComparison.Ordinal) == true && r.Messages.Any(m => m.Role == "tool"), Timeouts.Event);
        Assert.Equal(["user", "assistant", "tool"], answered.Messages.Select(m => m.Role));
        Assert.Equal(call.CallId, Assert.Single(answered.Messages[1].ToolCalls).Id);
        Assert.Equal("get_weather", answered.Messages[2].ToolName);
        Assert.Equal("sunny, 21 C", answered.Messages[2].Content);
        Assert.StartsWith("Tool result: sunny, 21 C", second.GetOutputText());
        Assert.Equal(first.Id, second.PreviousResponseId);
    }

    [Fact]
    public async Task A_streamed_tool_call_comes_whole_and_its_result_can_be_sent_back_as_items()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var tool = ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: null, "Weather in a city");
        var question = ResponseItem.CreateUserMessageItem($"weather streamed {nonce}");
        var options = new CreateResponseOptions(ResponsesRouterFixture.ToolsModel, [question]) { Tools = { tool } };

        var stream = await ResponsesStreams.ReadAsync(Client.CreateResponseStreamingAsync(Streamed(options), Timeouts.Token()));

        var done = stream.Updates.OfType<StreamingResponseOutputItemDoneUpdate>().Select(u => u.Item).OfType<FunctionCallResponseItem>().Single();
        Assert.Equal("get_weather", done.FunctionName);
        JsonEqual("""{"city":"value"}""", string.Concat(stream.Updates.OfType<StreamingResponseFunctionCallArgumentsDeltaUpdate>().Select(u => u.Delta.ToString())));
        Assert.Equal(done.FunctionArguments.ToString(), stream.Updates.OfType<StreamingResponseFunctionCallArgumentsDoneUpdate>().Single().FunctionArguments.ToString());
        Assert.Equal(ResponseStatus.Completed, Assert.IsType<StreamingResponseCompletedUpdate>(stream.Updates[^1]).Response.Status);

        // The client owns the conversation: not stored, everything sent again.
        var next = new CreateResponseOptions(ResponsesRouterFixture.ToolsModel, [question, done, ResponseItem.CreateFunctionCallOutputItem(done.CallId, "rain")])
        {
            Tools = { tool },
            StoredOutputEnabled = false,
        };
        var answer = await ResponsesStreams.ReadAsync(Client.CreateResponseStreamingAsync(Streamed(next), Timeouts.Token()));

        var answered = await fixture.Simulator.Journal.WaitForAsync(
            r => r.LastUserMessage?.Contains(nonce, StringComparison.Ordinal) == true && r.Messages.Any(m => m.Role == "tool"), Timeouts.Event);
        Assert.Equal(["user", "assistant", "tool"], answered.Messages.Select(m => m.Role));
        Assert.Equal(done.CallId, answered.Messages[2].ToolCallId ?? Assert.Single(answered.Messages[1].ToolCalls).Id);
        Assert.StartsWith("Tool result: rain", answer.Text);
    }

    [Fact]
    public async Task An_image_reaches_a_vision_model()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var item = ResponseItem.CreateUserMessageItem([
            ResponseContentPart.CreateInputTextPart($"what is this {nonce}"),
            ResponseContentPart.CreateInputImagePart(BinaryData.FromBytes(png, "image/png")),
        ]);

        ResponseResult response = await Client.CreateResponseAsync(new CreateResponseOptions(ResponsesRouterFixture.VisionModel, [item]), Timeouts.Token());

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        var image = Assert.Single(Assert.Single(simulated.Messages).Images);
        Assert.Equal(png.Length, image.ByteLength);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)), image.Sha256);
        Assert.StartsWith("I see 1 image", response.GetOutputText());
    }

    [Fact]
    public async Task Reasoning_streams_apart_from_the_text()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var options = new CreateResponseOptions(ResponsesRouterFixture.ThinkingModel, [ResponseItem.CreateUserMessageItem($"think {nonce} [[sim:thinking=4,tokens=5]]")])
        {
            ReasoningOptions = new ResponseReasoningOptions { ReasoningEffortLevel = ResponseReasoningEffortLevel.Low },
        };

        var stream = await ResponsesStreams.ReadAsync(Client.CreateResponseStreamingAsync(Streamed(options), Timeouts.Token()));

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal("low", simulated.Content.Think);
        Assert.NotEmpty(simulated.Thinking);
        Assert.Equal(simulated.Thinking, stream.Reasoning);
        Assert.Equal(simulated.Text, stream.Text);
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(stream.Updates[^1]).Response;
        Assert.Equal(simulated.Thinking, Assert.IsType<ReasoningResponseItem>(completed.OutputItems[0]).GetSummaryText());
        Assert.Equal(simulated.Text, completed.GetOutputText());
    }

    [Fact]
    public async Task Reasoning_in_a_plain_answer_is_its_own_item()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var options = new CreateResponseOptions(ResponsesRouterFixture.ThinkingModel, [ResponseItem.CreateUserMessageItem($"think plain {nonce} [[sim:thinking=3,tokens=4]]")])
        {
            ReasoningOptions = new ResponseReasoningOptions { ReasoningEffortLevel = ResponseReasoningEffortLevel.High },
        };

        ResponseResult response = await Client.CreateResponseAsync(options, Timeouts.Token());

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(2, response.OutputItems.Count);
        Assert.Equal(simulated.Thinking, Assert.IsType<ReasoningResponseItem>(response.OutputItems[0]).GetSummaryText());
        Assert.Equal(simulated.Text, response.GetOutputText());
    }

    [Fact]
    public async Task Max_output_tokens_ends_the_stream_as_incomplete()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var options = new CreateResponseOptions(ResponsesRouterFixture.ToolsModel, [ResponseItem.CreateUserMessageItem($"long {nonce} [[sim:tokens=20]]")])
        {
            MaxOutputTokenCount = 3,
        };

        var stream = await ResponsesStreams.ReadAsync(Client.CreateResponseStreamingAsync(Streamed(options), Timeouts.Token()));

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, Timeouts.Event);
        Assert.Equal(3, simulated.Parameters.MaxTokens);
        Assert.Equal("length", simulated.FinishReason);
        var incomplete = Assert.IsType<StreamingResponseIncompleteUpdate>(stream.Updates[^1]).Response;
        Assert.Equal(ResponseStatus.Incomplete, incomplete.Status);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, incomplete.IncompleteStatusDetails.Reason);
        Assert.Equal(simulated.Text, stream.Text);
    }

    [Fact]
    public async Task Max_output_tokens_makes_a_plain_answer_incomplete()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var options = new CreateResponseOptions(ResponsesRouterFixture.ToolsModel, [ResponseItem.CreateUserMessageItem($"long plain {nonce} [[sim:tokens=20]]")])
        {
            MaxOutputTokenCount = 2,
        };

        ResponseResult response = await Client.CreateResponseAsync(options, Timeouts.Token());

        Assert.Equal(ResponseStatus.Incomplete, response.Status);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, response.IncompleteStatusDetails.Reason);
        Assert.Equal(2, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task A_failure_after_the_first_token_is_an_error_event_and_a_failed_response()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var options = new CreateResponseOptions(ResponsesRouterFixture.ToolsModel, [ResponseItem.CreateUserMessageItem($"fail {nonce} [[sim:tokens=10,fail=2]]")]);

        var stream = await ResponsesStreams.ReadAsync(Client.CreateResponseStreamingAsync(Streamed(options), Timeouts.Token()));

        Assert.NotEmpty(stream.Text);
        var error = stream.Updates.OfType<StreamingResponseErrorUpdate>().Single();
        Assert.False(string.IsNullOrEmpty(error.Message));
        var failed = Assert.IsType<StreamingResponseFailedUpdate>(stream.Updates[^1]).Response;
        Assert.Equal(ResponseStatus.Failed, failed.Status);
        Assert.Equal(ResponseErrorCode.ServerError, failed.Error.Code);
        Assert.Empty(stream.Updates.OfType<StreamingResponseCompletedUpdate>());
    }

    [Fact]
    public async Task An_unknown_model_is_a_404()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client.CreateResponseAsync("no-such-model", "hi", cancellationToken: Timeouts.Token()));
        Assert.Equal(404, error.Status);
    }
}

/// <summary>A streamed response read whole: every update, and the text and reasoning deltas joined.</summary>
internal sealed record ResponsesStream(IReadOnlyList<StreamingResponseUpdate> Updates, string Text, string Reasoning);

internal static class ResponsesStreams
{
    public static async Task<ResponsesStream> ReadAsync(Task<AsyncStreamingResult<StreamingResponseUpdate>> started)
    {
        IAsyncEnumerable<StreamingResponseUpdate> updates = await started;
        var all = new List<StreamingResponseUpdate>();
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        await foreach (var update in updates)
        {
            all.Add(update);
            if (update is StreamingResponseOutputTextDeltaUpdate delta) text.Append(delta.Delta);
            if (update is StreamingResponseReasoningSummaryTextDeltaUpdate thought) reasoning.Append(thought.Delta);
        }

        Assert.True(all.Count > 0, "The stream carried no update.");
        Assert.Equal(Enumerable.Range(0, all.Count), all.Select(u => u.SequenceNumber));
        return new ResponsesStream(all, text.ToString(), reasoning.ToString());
    }
}
