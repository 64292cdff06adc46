using Microsoft.Extensions.DependencyInjection;
using Router.Grains.Classification;

namespace Router.Grains.Tests.Classification;

/// <summary>
/// The follow-up probability the conversation rule weighs is kept in the classification cache: what it
/// answers is what the in-process detector computes, and a turn that differs only in white space and
/// case shares its entry, as its classification does.
/// </summary>
public sealed class FollowUpMemoTests
{
    [Theory]
    [InlineData("and in Rust?", "  AND in\trust? ")]
    [InlineData("make it shorter", "Make it   SHORTER")]
    [InlineData("Write a haiku about the sea at night", "write a haiku about the sea at night")]
    public async Task The_cached_probability_is_the_detectors_own(string message, string variant)
    {
        await using var services = GrainServices.Build();
        var cache = services.GetRequiredService<ClassificationCache>();
        var detector = services.GetRequiredService<InProcessPromptClassifier>();

        var direct = detector.FollowUpProbability(message);
        var first = cache.FollowUpProbability(message);
        var again = cache.FollowUpProbability(message);
        var shared = cache.FollowUpProbability(variant);

        Assert.InRange(direct, 0.0, 1.0);
        Assert.Equal(direct, first);
        Assert.Equal(first, again);
        Assert.Equal(first, shared);
    }

    [Fact]
    public async Task A_follow_up_and_a_standalone_prompt_are_told_apart_through_the_cache()
    {
        await using var services = GrainServices.Build();
        var cache = services.GetRequiredService<ClassificationCache>();

        var followUp = cache.FollowUpProbability("and in Rust?");
        var standalone = cache.FollowUpProbability("Write a haiku about the sea at night");

        Assert.True(followUp > standalone, $"follow-up {followUp}, standalone {standalone}");
    }
}
