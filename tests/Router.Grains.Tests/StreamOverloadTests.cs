using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Streams;
using Router.Grains.Diagnostics;
using Router.Grains.Generation;
using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Tests;

/// <summary>
/// A memory stream queue holds at most 16,384 items and has no back-pressure: past that, OnNextAsync
/// throws. The runner must turn that into an error item, not leave the client waiting.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StreamOverloadTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_full_stream_queue_ends_the_stream_with_a_stream_overloaded_error()
    {
        var stream = new FullAfterTokensStream(acceptedTokens: 2);
        var silo = fixture.Cluster.Silos[0].ServiceProvider;
        using var backends = new ModelBackends(Microsoft.Extensions.Options.Options.Create(new OllamaOptions { BaseUrl = fixture.Simulator.BaseUrl }));
        var runner = new CompletionRunner(
            fixture.Client,
            new SingleStream(stream),
            backends,
            Microsoft.Extensions.Options.Options.Create(new GenerationOptions { CoalesceWindow = TimeSpan.Zero }),
            Microsoft.Extensions.Options.Options.Create(new OllamaOptions { BaseUrl = fixture.Simulator.BaseUrl }),
            silo.GetRequiredService<RouterInstruments>(),
            NullLogger<CompletionRunner>.Instance);

        var nonce = Guid.NewGuid().ToString("N");
        runner.Start(new CompletionJobSpec($"overload-{nonce}", Guid.NewGuid(), $"long {nonce} [[sim:tokens=200,tps=100]]",
            "llama3.2", "conversation", [], System.Diagnostics.Stopwatch.GetTimestamp()));

        var terminal = await stream.Terminal.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(CompletionEventKind.Error, terminal.Kind);
        Assert.Equal(ErrorCodes.StreamOverloaded, terminal.Error!.Code);
        Assert.Equal(2, stream.Tokens);

        // The backend request was abandoned rather than left running for nobody.
        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync(nonce, TimeSpan.FromSeconds(20));
        Assert.True(simulated.TokensSent < 200, $"the backend sent all {simulated.TokensSent} tokens");
    }

    private sealed class SingleStream(IAsyncStream<CompletionEvent> stream) : ICompletionStreams
    {
        public IAsyncStream<CompletionEvent> For(Guid requestId) => stream;
    }

    /// <summary>Accepts a few chunks, then refuses every further chunk the way a full memory queue does; terminal items go through.</summary>
    private sealed class FullAfterTokensStream(int acceptedTokens) : IAsyncStream<CompletionEvent>
    {
        private readonly TaskCompletionSource<CompletionEvent> _terminal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _tokens;

        public Task<CompletionEvent> Terminal => _terminal.Task;

        public int Tokens => Volatile.Read(ref _tokens);

        public Task OnNextAsync(CompletionEvent item, StreamSequenceToken? token = null)
        {
            if (item.IsTerminal)
            {
                _terminal.TrySetResult(item);
                return Task.CompletedTask;
            }

            if (Interlocked.Increment(ref _tokens) > acceptedTokens)
            {
                Interlocked.Decrement(ref _tokens);
                throw new InvalidOperationException("Can not enqueue since the count has reached its maximum of 16384");
            }

            return Task.CompletedTask;
        }

        public bool IsRewindable => false;

        public string ProviderName => RouterStreams.ProviderName;

        public StreamId StreamId => RouterStreams.ForRequest(Guid.Empty);

        public Task OnNextBatchAsync(IEnumerable<CompletionEvent> batch, StreamSequenceToken? token = null) => throw new NotSupportedException();

        public Task OnCompletedAsync() => throw new NotSupportedException();

        public Task OnErrorAsync(Exception ex) => throw new NotSupportedException();

        public Task<StreamSubscriptionHandle<CompletionEvent>> SubscribeAsync(IAsyncObserver<CompletionEvent> observer) => throw new NotSupportedException();

        public Task<StreamSubscriptionHandle<CompletionEvent>> SubscribeAsync(IAsyncObserver<CompletionEvent> observer, StreamSequenceToken? token, string? filterData = null) => throw new NotSupportedException();

        public Task<StreamSubscriptionHandle<CompletionEvent>> SubscribeAsync(IAsyncBatchObserver<CompletionEvent> observer) => throw new NotSupportedException();

        public Task<StreamSubscriptionHandle<CompletionEvent>> SubscribeAsync(IAsyncBatchObserver<CompletionEvent> observer, StreamSequenceToken? token) => throw new NotSupportedException();

        public Task<IList<StreamSubscriptionHandle<CompletionEvent>>> GetAllSubscriptionHandles() => throw new NotSupportedException();

        public bool Equals(IAsyncStream<CompletionEvent>? other) => ReferenceEquals(this, other);

        public int CompareTo(IAsyncStream<CompletionEvent>? other) => ReferenceEquals(this, other) ? 0 : 1;
    }
}
