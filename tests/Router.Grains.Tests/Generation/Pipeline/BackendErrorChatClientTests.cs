using System.Net;
using Microsoft.Extensions.AI;
using Router.Grains.Generation;
using Router.Grains.Generation.Pipeline;
using Router.Grains.Interfaces;

namespace Router.Grains.Tests.Generation.Pipeline;

/// <summary>The error decorator over a scripted inner client: what leaves it, for each kind of backend.</summary>
public sealed class BackendErrorChatClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly ChatOptions Options = new() { ModelId = "some-model" };
    private readonly ScriptedChatClient _inner = new();

    public static TheoryData<Exception, bool, string, string> Failures => new()
    {
        { new HttpRequestException("refused", null, HttpStatusCode.ServiceUnavailable), false, "ollama_busy", "The Ollama server is busy (its queue is full); try again shortly." },
        { new HttpRequestException("refused", new IOException(), null), true, "upstream_unavailable", "The upstream server of 'some-model' cannot be reached." },
        { new ChatTimeoutException(ChatTimeoutKind.FirstToken, TimeSpan.FromSeconds(120)), false, "ollama_timeout", "Ollama sent no token within 120 s." },
        { new ChatTimeoutException(ChatTimeoutKind.Idle, TimeSpan.FromSeconds(1.5)), false, "ollama_timeout", "The Ollama stream stalled: no token for 1.5 s." },
        { new ChatTimeoutException(ChatTimeoutKind.FirstToken, TimeSpan.FromSeconds(2)), true, "upstream_timeout", "The upstream server of 'some-model' sent no token within 2 s." },
        { new ChatTimeoutException(ChatTimeoutKind.Idle, TimeSpan.FromSeconds(30)), true, "upstream_timeout", "The upstream server of 'some-model' stalled: no token for 30 s." },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failure_leaves_in_the_routers_code_described_for_the_kind_of_backend(Exception failure, bool upstream, string code, string message)
    {
        using var client = Decorate(upstream);
        await using var updates = client.GetStreamingResponseAsync("hi", Options).GetAsyncEnumerator();
        _inner.Send("partial ");
        Assert.True(await updates.MoveNextAsync());
        _inner.Fail(failure);

        var ex = await Assert.ThrowsAsync<BackendFailureException>(() => updates.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal((code, message), (ex.Error.Code, ex.Error.Message));
        Assert.Same(failure, ex.InnerException);
    }

    [Theory]
    [InlineData(false, "ollama_stream_broken")]
    [InlineData(true, "upstream_stream_broken")]
    public async Task An_answer_that_ends_without_its_final_object_is_broken_off(bool upstream, string code)
    {
        using var client = Decorate(upstream);
        _inner.Send("half an answer");
        _inner.EndWithoutFinish();

        var ex = await Assert.ThrowsAsync<BackendFailureException>(() => client.GetStreamingResponseAsync("hi", Options).ToChatResponseAsync().WaitAsync(Timeout));
        Assert.Equal(code, ex.Error.Code);
    }

    [Fact]
    public async Task A_complete_answer_passes_untouched()
    {
        using var client = Decorate(upstream: false);
        _inner.Send("whole");
        _inner.Finish();

        var response = await client.GetStreamingResponseAsync("hi", Options).ToChatResponseAsync().WaitAsync(Timeout);
        Assert.Equal(("whole", ChatFinishReason.Stop), (response.Text, response.FinishReason));
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_described()
    {
        using var client = Decorate(upstream: false);
        using var caller = new CancellationTokenSource();
        var response = client.GetResponseAsync("hi", Options, caller.Token);
        await _inner.Called.Task.WaitAsync(Timeout);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => response.WaitAsync(Timeout));
    }

    private IChatClient Decorate(bool upstream) =>
        _inner.AsBuilder().UseBackendErrors(upstream ? BackendErrors.DescribeUpstream : BackendErrors.Describe).Build();
}
