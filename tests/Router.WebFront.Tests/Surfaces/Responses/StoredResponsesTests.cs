using System.ClientModel;
using OpenAI.Responses;

namespace Router.WebFront.Tests.Surfaces.Responses;

/// <summary>Stored responses: a continuation gets the conversation, GET returns the response, DELETE forgets it, and another user sees none of it.</summary>
[Collection(ResponsesRouterCollection.Name)]
public sealed class StoredResponsesTests(ResponsesRouterFixture fixture)
{
    [Fact]
    public async Task Previous_response_id_continues_the_stored_conversation_without_its_instructions()
    {
        var client = fixture.Client("stored-" + Guid.NewGuid().ToString("N"));
        var nonce = Guid.NewGuid().ToString("N");
        ResponseResult first = await client.CreateResponseAsync(new CreateResponseOptions(ResponsesRouterFixture.ToolsModel,
            [ResponseItem.CreateUserMessageItem($"my name is {nonce} [[sim:tokens=4]]")]) { Instructions = "first instructions" }, Timeouts.Token());

        var second = new CreateResponseOptions(ResponsesRouterFixture.ToolsModel, [ResponseItem.CreateUserMessageItem($"what is my name {nonce}?")])
        {
            PreviousResponseId = first.Id,
            Instructions = "second instructions",
            StreamingEnabled = true,
        };
        var stream = await ResponsesStreams.ReadAsync(client.CreateResponseStreamingAsync(second, Timeouts.Token()));

        var simulated = await fixture.Simulator.Journal.WaitForMessageAsync($"what is my name {nonce}", Timeouts.Event);
        Assert.Equal(["system", "user", "assistant", "user"], simulated.Messages.Select(m => m.Role));
        Assert.Equal("second instructions", simulated.Messages[0].Content);
        Assert.Equal($"my name is {nonce} [[sim:tokens=4]]", simulated.Messages[1].Content);
        Assert.Equal(first.GetOutputText(), simulated.Messages[2].Content);
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(stream.Updates[^1]).Response;
        Assert.Equal(first.Id, completed.PreviousResponseId);

        // Three deep: the chain is read whole.
        ResponseResult third = await client.CreateResponseAsync(new CreateResponseOptions(ResponsesRouterFixture.ToolsModel,
            [ResponseItem.CreateUserMessageItem($"and again {nonce}")]) { PreviousResponseId = completed.Id }, Timeouts.Token());
        var thirdSimulated = await fixture.Simulator.Journal.WaitForMessageAsync($"and again {nonce}", Timeouts.Event);
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], thirdSimulated.Messages.Select(m => m.Role));
        Assert.Equal(completed.GetOutputText(), thirdSimulated.Messages[3].Content);
        Assert.Equal(ResponseStatus.Completed, third.Status);
    }

    [Fact]
    public async Task Get_returns_the_stored_response_and_delete_forgets_it()
    {
        var client = fixture.Client("stored-" + Guid.NewGuid().ToString("N"));
        ResponseResult created = await client.CreateResponseAsync(ResponsesRouterFixture.ToolsModel, "keep this [[sim:tokens=3]]", cancellationToken: Timeouts.Token());

        ResponseResult got = await client.GetResponseAsync(created.Id, Timeouts.Token());
        Assert.Equal(created.Id, got.Id);
        Assert.Equal(created.GetOutputText(), got.GetOutputText());
        Assert.Equal(ResponseStatus.Completed, got.Status);

        ResponseDeletionResult deleted = await client.DeleteResponseAsync(created.Id, Timeouts.Token());
        Assert.True(deleted.Deleted);
        Assert.Equal(created.Id, deleted.ResponseId);

        var afterDelete = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(created.Id, Timeouts.Token()));
        Assert.Equal(404, afterDelete.Status);
        var continuation = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(ResponsesRouterFixture.ToolsModel, "more", created.Id, Timeouts.Token()));
        Assert.Equal(404, continuation.Status);
        var again = await Assert.ThrowsAsync<ClientResultException>(() => client.DeleteResponseAsync(created.Id, Timeouts.Token()));
        Assert.Equal(404, again.Status);
    }

    [Fact]
    public async Task Another_users_response_is_not_found()
    {
        var owner = fixture.Client("owner-" + Guid.NewGuid().ToString("N"));
        var other = fixture.Client("other-" + Guid.NewGuid().ToString("N"));
        ResponseResult created = await owner.CreateResponseAsync(ResponsesRouterFixture.ToolsModel, "private [[sim:tokens=3]]", cancellationToken: Timeouts.Token());

        var get = await Assert.ThrowsAsync<ClientResultException>(() => other.GetResponseAsync(created.Id, Timeouts.Token()));
        Assert.Equal(404, get.Status);
        var continuation = await Assert.ThrowsAsync<ClientResultException>(() => other.CreateResponseAsync(ResponsesRouterFixture.ToolsModel, "steal", created.Id, Timeouts.Token()));
        Assert.Equal(404, continuation.Status);
        var delete = await Assert.ThrowsAsync<ClientResultException>(() => other.DeleteResponseAsync(created.Id, Timeouts.Token()));
        Assert.Equal(404, delete.Status);

        ResponseResult stillThere = await owner.GetResponseAsync(created.Id, Timeouts.Token());
        Assert.Equal(created.Id, stillThere.Id);
    }

    [Fact]
    public async Task A_response_not_stored_cannot_be_continued()
    {
        var client = fixture.Client("stored-" + Guid.NewGuid().ToString("N"));
        ResponseResult created = await client.CreateResponseAsync(new CreateResponseOptions(ResponsesRouterFixture.ToolsModel,
            [ResponseItem.CreateUserMessageItem("forget me [[sim:tokens=2]]")]) { StoredOutputEnabled = false }, Timeouts.Token());

        var get = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(created.Id, Timeouts.Token()));
        Assert.Equal(404, get.Status);
    }
}
