namespace Router.OllamaSimulator.Generation;

internal enum GenerationEnding
{
    /// <summary>Send every token, then the final object.</summary>
    Complete,

    /// <summary>Send <see cref="GenerationPlan.SendCount"/> tokens, then abort the connection.</summary>
    Cut,

    /// <summary>Send <see cref="GenerationPlan.SendCount"/> tokens, then hold the connection silently until the client leaves.</summary>
    Stall,

    /// <summary>Send <see cref="GenerationPlan.SendCount"/> tokens, then an <c>{"error":...}</c> line, and end the response normally.</summary>
    ErrorLine,
}

/// <summary>What one request will do, resolved once from the global options and its directives.</summary>
/// <param name="FinishReason"><c>stop</c>, <c>tool_calls</c>, or <c>length</c> when the client's token limit cut the answer short.</param>
internal readonly record struct GenerationPlan(int TimeToFirstTokenMs, TimeSpan? Interval, int SendCount, GenerationEnding Ending, string FinishReason = "stop")
{
    /// <summary>The plan of a plain text answer of the directive's (or the default) token count, cut by <paramref name="maxTokens"/>.</summary>
    public static GenerationPlan From(SimulatorOptions options, SimDirectives directives, int? maxTokens = null)
    {
        var tokens = directives.Tokens ?? options.ResponseTokens;
        var finishReason = "stop";
        if (maxTokens is { } limit && limit < tokens)
        {
            tokens = limit;
            finishReason = "length";
        }

        return Build(options, directives, tokens, finishReason);
    }

    /// <summary>The plan of a scripted answer: its steps are the tokens the pacing and the fault directives count.</summary>
    public static GenerationPlan For(SimulatorOptions options, SimDirectives directives, AnswerScript script) =>
        Build(options, directives, script.StepCount, script.FinishReason);

    private static GenerationPlan Build(SimulatorOptions options, SimDirectives directives, int tokens, string finishReason)
    {
        var tps = directives.TokensPerSecond ?? options.TokensPerSecond;

        // PeriodicTimer works in whole milliseconds (at least 1), so rates above 1000/s are sent unpaced.
        TimeSpan? interval = tps > 0 && 1000.0 / tps >= 1 ? TimeSpan.FromMilliseconds(1000.0 / tps) : null;

        var ending = GenerationEnding.Complete;
        var send = tokens;
        if (directives.CutAfter is { } cut)
        {
            ending = GenerationEnding.Cut;
            send = Math.Min(cut, tokens);
        }

        if (directives.StallAfter is { } stall && (directives.CutAfter is not { } c || stall < c))
        {
            ending = GenerationEnding.Stall;
            send = Math.Min(stall, tokens);
        }

        if (directives.FailAfter is { } fail && fail < Math.Min(directives.CutAfter ?? int.MaxValue, directives.StallAfter ?? int.MaxValue))
        {
            ending = GenerationEnding.ErrorLine;
            send = Math.Min(fail, tokens);
        }

        return new GenerationPlan(directives.TimeToFirstTokenMs ?? options.TimeToFirstTokenMs, interval, send, ending, finishReason);
    }

    /// <summary>Time a non-streamed answer takes: the first token plus the pacing of the rest.</summary>
    public TimeSpan TotalGenerationTime =>
        TimeSpan.FromMilliseconds(TimeToFirstTokenMs) + (Interval is { } i && SendCount > 1 ? i * (SendCount - 1) : TimeSpan.Zero);
}
