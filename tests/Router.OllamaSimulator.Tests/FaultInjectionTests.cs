using System.Net;
using OllamaSharp.Models.Chat;

namespace Router.OllamaSimulator.Tests;

public sealed class FaultInjectionTests : SimulatorTestBase
{
    [Fact]
    public async Task Unknown_model_is_a_404_with_ollamas_error_text()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/api/chat", GenerateAndInfoTests.Json("""{"model":"mistral","messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"error":"model \"mistral\" not found, try pulling it first"}""", await response.Content.ReadAsStringAsync());

        using var client = CreateClient("mistral");
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => DrainAsync(client.ChatAsync(Chat("mistral", "hi"))));
        // OllamaSharp surfaces a non-success status as HttpRequestException carrying the status code.
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);

        var recorded = await Journal.WaitForAsync(r => r.Model == "mistral", Timeout);
        Assert.Equal(SimulatedOutcome.Faulted, recorded.Outcome);
        Assert.Equal(404, recorded.StatusCode);
    }

    [Fact]
    public async Task Status_directive_answers_that_status_before_streaming()
    {
        using var http = CreateHttpClient();
        using var busy = await http.PostAsync("/api/chat", GenerateAndInfoTests.Json("""{"model":"llama3.2","messages":[{"role":"user","content":"hi [[sim:status=503]]"}]}"""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal("""{"error":"server busy, please try again.  maximum pending requests exceeded"}""", await busy.Content.ReadAsStringAsync());

        using var client = CreateClient();
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => DrainAsync(client.ChatAsync(Chat("llama3.2", "boom [[sim:status=500]]"))));
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);

        var recorded = await Journal.WaitForMessageAsync("boom", Timeout);
        Assert.Equal(SimulatedOutcome.Faulted, recorded.Outcome);
        Assert.Equal(500, recorded.StatusCode);
        Assert.Equal(0, recorded.TokensSent);
    }

    [Fact]
    public async Task Cut_directive_aborts_the_connection_after_the_given_tokens()
    {
        using var client = CreateClient();
        var received = new List<string>();
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var chunk in client.ChatAsync(Chat("llama3.2", "cut me [[sim:cut=3,tokens=10]]")))
            {
                Assert.False(chunk?.Done ?? false, "no final object may arrive on a cut stream");
                received.Add(chunk?.Message.Content ?? string.Empty);
            }
        });

        Assert.True(ex is IOException || ex.InnerException is IOException, $"expected an IOException from the broken stream, got {ex}");
        Assert.Equal(SimulatedText.Tokens(3), received);

        var recorded = await Journal.WaitForMessageAsync("cut me", Timeout);
        Assert.Equal(SimulatedOutcome.Cut, recorded.Outcome);
        Assert.Equal(3, recorded.TokensSent);
        Assert.Equal(SimulatedText.Text(3), recorded.Text);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task A_cut_always_comes_after_the_head_and_every_token_it_follows(int tokens)
    {
        // Unpaced and back to back, on a new connection each: the cut follows the last flush at once, so an
        // abort that dropped bytes still buffered in the transport would show as a missing head or token.
        for (var round = 0; round < 40; round++)
        {
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, MaxResponseDrainSize = 0 }) { BaseAddress = Simulator.BaseUrl, Timeout = Timeout };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat")
            {
                Content = GenerateAndInfoTests.Json($$"""{"model":"llama3.2","messages":[{"role":"user","content":"cut {{round}} [[sim:cut={{tokens}},tokens=10]]"}]}"""),
            };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"round {round}: the head said {(int)response.StatusCode}");

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var lines = new List<string>();
            var broken = await Record.ExceptionAsync(async () =>
            {
                while (await reader.ReadLineAsync() is { } line) lines.Add(line);
            });
            Assert.True(broken is IOException or HttpRequestException, $"round {round}: the body ended without a break: {broken}");
            Assert.True(lines.Count == tokens, $"round {round}: {lines.Count} of the {tokens} tokens before the cut arrived");
        }
    }

    [Fact]
    public async Task Fail_directive_sends_ollamas_mid_stream_error_line()
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsync("/api/chat", GenerateAndInfoTests.Json("""{"model":"llama3.2","messages":[{"role":"user","content":"raw fail [[sim:fail=1]]"}]}"""));
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, lines.Length);
        Assert.Equal("""{"error":"an error was encountered while running the model: unexpected EOF"}""", lines[1]);

        // OllamaSharp 5.5.2 does not throw on an error line: it yields a chunk without a message and with done=false,
        // and the enumeration then simply ends. Consumers must treat that as a failure themselves.
        using var client = CreateClient();
        var chunks = new List<OllamaSharp.Models.Chat.ChatResponseStream?>();
        await foreach (var chunk in client.ChatAsync(Chat("llama3.2", "fail me [[sim:fail=2]]")))
        {
            chunks.Add(chunk);
        }

        Assert.Equal(3, chunks.Count);
        Assert.Equal(SimulatedText.Tokens(2), chunks.Take(2).Select(c => c?.Message?.Content));
        Assert.Null(chunks[2]?.Message);
        Assert.False(chunks[2]?.Done);

        var recorded = await Journal.WaitForMessageAsync("fail me", Timeout);
        Assert.Equal(SimulatedOutcome.Faulted, recorded.Outcome);
        Assert.Equal(200, recorded.StatusCode);
        Assert.Equal(2, recorded.TokensSent);
    }

    [Fact]
    public async Task Stall_directive_holds_the_stream_until_the_client_cancels()
    {
        using var client = CreateClient();
        using var cts = new CancellationTokenSource();
        var received = 0;
        await ConsumeUntilCancelledAsync(client.ChatAsync(Chat("llama3.2", "stall me [[sim:stall=2]]"), cts.Token), async _ =>
        {
            received++;
            if (received == 2)
            {
                // The stream is now silent; the only way out is the client giving up.
                await cts.CancelAsync();
            }
        });

        var recorded = await Journal.WaitForMessageAsync("stall me", Timeout);
        Assert.Equal(2, received);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, recorded.Outcome);
        Assert.True(recorded.Stalled);
        Assert.Equal(2, recorded.TokensSent);
        Assert.Equal(1, Journal.Stats.Disconnected);
        Assert.Equal(1, Journal.Stats.Stalled);
        Assert.Equal(0, Journal.Stats.ActiveStreams);
    }

    [Fact]
    public async Task Client_leaving_mid_stream_is_recorded_as_disconnected()
    {
        using var client = CreateClient();
        using var cts = new CancellationTokenSource();
        await ConsumeUntilCancelledAsync(client.ChatAsync(Chat("llama3.2", "long one [[sim:tokens=1000,tps=20]]"), cts.Token), _ => cts.CancelAsync());
        Assert.True(cts.IsCancellationRequested, "the client never received a token");

        var recorded = await Journal.WaitForMessageAsync("long one", Timeout);
        Assert.Equal(SimulatedOutcome.ClientDisconnected, recorded.Outcome);
        Assert.False(recorded.Stalled);
        Assert.InRange(recorded.TokensSent, 1, 999);
    }

    [Fact]
    public async Task Waiting_for_a_request_that_never_comes_times_out_with_the_journal_listed()
    {
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => Journal.WaitForAsync(r => r.Model == "ghost", TimeSpan.FromMilliseconds(50)));
        Assert.Contains("Journal:", ex.Message, StringComparison.Ordinal);
    }

    private static ChatRequest Chat(string model, string text) => new() { Model = model, Messages = [new Message(ChatRole.User, text)] };

    /// <summary>OllamaSharp either ends the enumeration quietly or throws when its token is cancelled; both mean "client gone".</summary>
    private static async Task ConsumeUntilCancelledAsync<T>(IAsyncEnumerable<T> items, Func<T, Task> onItem)
    {
        try
        {
            await foreach (var item in items)
            {
                await onItem(item);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task DrainAsync<T>(IAsyncEnumerable<T> items)
    {
        await foreach (var _ in items)
        {
        }
    }
}
