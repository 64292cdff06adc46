using Router.Grains.Generation;

namespace Router.Grains.Tests.Generation;

/// <summary>The router's own stop-sequence matching over streamed text pieces.</summary>
public sealed class StopSequenceMatcherTests
{
    private static (string Text, string? Matched) Run(string[] sequences, params string[] pieces)
    {
        var matcher = new StopSequenceMatcher(sequences);
        var text = string.Concat(pieces.Select(matcher.Push));
        if (matcher.Matched is null) text += matcher.Flush();
        return (text, matcher.Matched);
    }

    [Fact]
    public void A_sequence_split_across_pieces_is_found_and_cut_with_what_follows()
    {
        Assert.Equal(("Hello ", "END"), Run(["END"], "Hello E", "N", "D and more"));
    }

    [Fact]
    public void The_earliest_match_wins_whatever_the_order_of_the_sequences()
    {
        Assert.Equal(("a ", "b c"), Run(["c d", "b c"], "a b c d"));
    }

    [Fact]
    public void A_tail_that_only_looks_like_a_sequence_is_released_and_nothing_is_lost()
    {
        var matcher = new StopSequenceMatcher(["STOP"]);
        Assert.Equal("go ", matcher.Push("go ST"));
        Assert.Equal("STAY", matcher.Push("AY"));
        Assert.Equal("", matcher.Push("S"));
        Assert.Equal("S", matcher.Flush());
        Assert.Null(matcher.Matched);
    }

    [Fact]
    public void Nothing_goes_out_after_a_match()
    {
        var matcher = new StopSequenceMatcher(["\n\n"]);
        Assert.Equal("one", matcher.Push("one\n\ntwo"));
        Assert.Equal("", matcher.Push("three"));
        Assert.Equal("\n\n", matcher.Matched);
    }

    [Fact]
    public void Empty_sequences_are_ignored()
    {
        Assert.Equal(("abc", null), Run([""], "a", "bc"));
    }
}
