using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Router.Grains.Interfaces;
using Router.Grains.Interfaces.Responses;
using Router.Grains.Responses;

namespace Router.Grains.Tests.Contracts;

/// <summary>A stored response crosses Orleans and goes into grain storage whole: its turn's messages with every kind of part, its ancestors and its body.</summary>
public sealed class StoredResponseFormatTests
{
    [Fact]
    public void A_stored_response_round_trips_whole_in_its_state()
    {
        var serializer = new ServiceCollection()
            .AddSerializer(b => b.AddAssembly(typeof(StoredResponse).Assembly).AddAssembly(typeof(ResponseStoreState).Assembly))
            .BuildServiceProvider().GetRequiredService<Serializer>();
        var created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var stored = new StoredResponse("resp_2", created, created.AddDays(30), ["resp_0", "resp_1"],
        [
            new ConversationMessage("user", [MessagePart.FromText("weather?"), new MessagePart(PartKind.Image, MediaType: "image/png", Data: [1, 2, 3])]),
            new ConversationMessage("assistant",
            [
                new MessagePart(PartKind.Reasoning, Text: "they want weather"),
                new MessagePart(PartKind.ToolCall, CallId: "call_1", Name: "get_weather", Arguments: """{"city":"Paris"}"""),
            ]),
        ], 1234, """{"id":"resp_2","object":"response"}""");

        var copy = serializer.Deserialize<ResponseStoreState>(serializer.SerializeToArray(new ResponseStoreState { Response = stored }))!.Response!;

        Assert.Equal((stored.Id, stored.CreatedAt, stored.ExpiresAt, stored.ChainBytes, stored.Body), (copy.Id, copy.CreatedAt, copy.ExpiresAt, copy.ChainBytes, copy.Body));
        Assert.Equal(stored.Ancestors, copy.Ancestors);
        Assert.Equal(["user", "assistant"], copy.Messages.Select(m => m.Role));
        Assert.Equal([1, 2, 3], copy.Messages[0].Parts[1].Data!);
        Assert.Equal("image/png", copy.Messages[0].Parts[1].MediaType);
        Assert.Equal(stored.Messages[1].Parts, copy.Messages[1].Parts);
    }
}
