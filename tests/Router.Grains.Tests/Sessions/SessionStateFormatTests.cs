using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Router.Hosting;
using Router.Grains.Interfaces;
using Router.Grains.Sessions;

namespace Router.Grains.Tests.Sessions;

/// <summary>
/// Session state moved from the default JSON storage format (CLR names) to the router's versioned
/// format: what was stored before still reads, and what is stored now has no CLR names.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SessionStateFormatTests(ClusterFixture fixture)
{
    private static UserSessionState Sample()
    {
        var state = new UserSessionState { Requests = 7, Completed = 5, Failed = 2, PromptTokens = 40, OutputTokens = 90 };
        state.Turns.Add(new ConversationTurn("Why is the sky blue?", "Rayleigh scattering.", "llama3.2", new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        return state;
    }

    [Fact]
    public void State_stored_in_the_previous_json_shape_still_reads()
    {
        var (previous, current) = Serializers();
        var stored = previous.Serialize(Sample());
        Assert.Contains("\"$type\":\"Router.Grains.Sessions.UserSessionState", stored.ToString(), StringComparison.Ordinal); // the old shape indeed

        var read = current.Deserialize<UserSessionState>(stored);

        AssertSample(read);
    }

    [Fact]
    public void State_is_stored_by_ids_and_aliases_and_reads_back()
    {
        var (_, current) = Serializers();

        var stored = current.Serialize(Sample()).ToArray();

        Assert.True(stored.AsSpan().StartsWith(RouterStateSerializer.Tag), "the stored state should start with the format tag");
        var text = Encoding.UTF8.GetString(stored);
        foreach (var clrName in new[] { "Router", "UserSessionState", "ConversationTurn", "$type", "Turns", "UserMessage", "PromptTokens" })
        {
            Assert.DoesNotContain(clrName, text, StringComparison.Ordinal);
        }

        AssertSample(current.Deserialize<UserSessionState>(new BinaryData(stored)));
    }

    /// <summary>The storage serializer a silo had by default (the previous shape), and the router's.</summary>
    private (IGrainStorageSerializer Previous, RouterStateSerializer Current) Serializers()
    {
        var services = fixture.Cluster.Silos[0].ServiceProvider;
        var previous = services.GetRequiredService<IGrainStorageSerializer>();
        return (previous, new RouterStateSerializer(services.GetRequiredService<Serializer>(), previous));
    }

    private static void AssertSample(UserSessionState read)
    {
        Assert.Equal((7, 5, 2, 40, 90), (read.Requests, read.Completed, read.Failed, read.PromptTokens, read.OutputTokens));
        var turn = Assert.Single(read.Turns);
        Assert.Equal(Sample().Turns[0], turn);
    }
}
