using Microsoft.Extensions.DependencyInjection;
using Router.Classifier.Conversations;
using Router.Grains.Classification;

namespace Router.Grains.Tests.Classification;

/// <summary>
/// When the in-process model is the classifier, the silo runs the conversation routing path at start, once the embedding
/// tier has joined, so the runtime compiles it before users' requests pay for that.
/// </summary>
public sealed class ClassifierWarmupTests
{
    [Fact]
    public async Task The_silo_runs_the_conversation_path_once_the_embedding_tier_has_joined()
    {
        await using var services = GrainServices.Build();
        var warmup = services.GetRequiredService<ClassifierModelWarmup>();
        Assert.Equal(0, await warmup.Completed); // nothing runs before the host starts it

        await warmup.StartAsync(CancellationToken.None);
        var decided = await warmup.Completed.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(ConversationWarmup.DefaultPasses * 15, decided);
        Assert.True(services.GetRequiredService<Router.Classifier.PromptCategoryModel>().HasEncoderTier, "the warm-up waits for the embedding tier");
    }
}
