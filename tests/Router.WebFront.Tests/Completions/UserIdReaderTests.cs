using Router.WebFront.Completions;

namespace Router.WebFront.Tests.Completions;

public sealed class UserIdReaderTests
{
    [Fact]
    public void Without_the_header_the_user_is_anonymous()
    {
        var (userId, problem) = UserIdReader.Read(TestRequests.WithHeaders());
        Assert.Null(problem);
        Assert.Equal(UserIdReader.Anonymous, userId);
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("user-42@example.org")]
    [InlineData("a b")]
    public void A_printable_ascii_id_is_taken_as_it_is(string id)
    {
        var (userId, problem) = UserIdReader.Read(TestRequests.WithHeaders((UserIdReader.HeaderName, [id])));
        Assert.Null(problem);
        Assert.Equal(id, userId);
    }

    [Fact]
    public void An_id_of_exactly_the_maximum_length_is_accepted_and_one_more_is_not()
    {
        var longest = new string('u', UserIdReader.MaxLength);
        Assert.Equal(longest, UserIdReader.Read(TestRequests.WithHeaders((UserIdReader.HeaderName, [longest]))).UserId);
        Assert.Equal("invalid_user_id", UserIdReader.Read(TestRequests.WithHeaders((UserIdReader.HeaderName, [longest + "u"]))).Problem?.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("émile")]
    [InlineData("tab\there")]
    [InlineData("bell\u0007")]
    public void An_empty_non_ascii_or_control_id_is_refused(string id)
    {
        var (userId, problem) = UserIdReader.Read(TestRequests.WithHeaders((UserIdReader.HeaderName, [id])));
        Assert.Null(userId);
        Assert.Equal(400, problem?.Status);
        Assert.Equal("invalid_user_id", problem?.Code);
    }

    [Fact]
    public void A_header_sent_twice_is_refused_rather_than_one_picked()
    {
        var (userId, problem) = UserIdReader.Read(TestRequests.WithHeaders((UserIdReader.HeaderName, ["alice", "bob"])));
        Assert.Null(userId);
        Assert.Equal("invalid_user_id", problem?.Code);
        Assert.Contains("once", problem?.Detail);
    }
}
