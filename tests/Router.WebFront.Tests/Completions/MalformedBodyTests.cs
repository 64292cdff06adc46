using System.Text;
using Router.Testing;

namespace Router.WebFront.Tests.Completions;

/// <summary>Bodies that are broken below the level of JSON syntax: bytes, escapes, nesting, duplicates.</summary>
[Collection(RouterCollection.Name)]
public sealed class MalformedBodyTests(RouterFixture fixture)
{
    [Theory]
    [InlineData("7B226D657373616765223A2022C328227D")] // {"message": "\xC3(" }: a lead byte without its continuation
    [InlineData("7B226D657373616765223A2022C0AF227D")] // overlong '/'
    [InlineData("7B226D657373616765223A2022E080AF227D")] // overlong '/' in three bytes
    [InlineData("7B226D657373616765223A2022EDA080227D")] // a surrogate encoded as UTF-8
    [InlineData("7B226D657373616765223A2022FF227D")] // a byte UTF-8 never uses
    [InlineData("7B226D657373616765223A2022E282227D")] // a sequence cut short
    [InlineData("7B22C328223A20312C226D657373616765223A20226869227D")] // bad bytes in another key: {"\xC3(": 1, "message": "hi"}
    public async Task Invalid_utf8_is_refused_with_invalid_utf8(string hex)
    {
        using var response = await SseClient.SendAsync(fixture.Http, Convert.FromHexString(hex), "application/json", "kim", Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 400, "invalid_utf8");
    }

    [Theory]
    [InlineData(@"{""message"": ""\ud800""}")]
    [InlineData(@"{""message"": ""\udc00""}")]
    [InlineData(@"{""message"": ""a \ud800\u0041 b""}")]
    [InlineData(@"{""message"": ""\ud800x""}")]
    [InlineData(@"{""message"": ""\udfff\ud800""}")]
    [InlineData(@"{""\ud800"": 1, ""message"": ""hi""}")]
    [InlineData(@"{""message"": ""hi"", ""other"": [{""deep"": ""\udc00""}]}")]
    public async Task A_lone_surrogate_escape_is_refused_with_invalid_unicode_escape(string body)
    {
        using var response = await SseClient.SendAsync(fixture.Http, body, "application/json", "kim", Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 400, "invalid_unicode_escape");
    }

    [Fact]
    public async Task A_valid_surrogate_pair_escape_still_streams()
    {
        await using var sse = await SseClient.PostRawAsync(fixture.Http, @"{""message"": ""emoji \ud83d\ude00 [[sim:tokens=2]]""}", "application/json", "kim", Timeouts.Token());
        Assert.Equal(200, (int)sse.Response.StatusCode);
        var events = await sse.ReadToEndAsync(Timeouts.Token());
        Assert.True(events[^1].IsDone, $"expected done, got {events[^1].Data}");
    }

    [Theory]
    [InlineData(@"{""message"": ""a"", ""message"": ""b""}")]
    [InlineData(@"{""message"": null, ""message"": ""b""}")]
    [InlineData(@"{""message"": ""a"", ""m\u0065ssage"": ""b""}")]
    [InlineData(@"{""message"": 1, ""x"": 2, ""message"": ""b""}")]
    public async Task Duplicate_message_keys_are_refused(string body)
    {
        using var response = await SseClient.SendAsync(fixture.Http, body, "application/json", "kim", Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 400, "duplicate_message");
    }

    [Theory]
    [InlineData("{\"message\": \"hi\", \"x\": ", "[", "")]
    [InlineData("{\"message\": ", "[", "")]
    [InlineData("{\"message\": \"hi\", \"x\": ", "{\"a\": ", "")]
    [InlineData("{\"message\": \"hi\", \"x\": ", "[", "]")]
    public async Task Deep_nesting_is_refused_with_json_too_deep(string prefix, string open, string close)
    {
        var body = prefix + string.Concat(Enumerable.Repeat(open, 10_000)) + string.Concat(Enumerable.Repeat(close, 10_000));
        using var response = await SseClient.SendAsync(fixture.Http, body, "application/json", "kim", Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 400, "json_too_deep");
    }

    [Fact]
    public async Task Nesting_within_the_limit_is_accepted()
    {
        var body = "{\"x\": " + new string('[', 15) + new string(']', 15) + ", \"message\": \"nested [[sim:tokens=2]]\"}";
        await using var sse = await SseClient.PostRawAsync(fixture.Http, body, "application/json", "kim", Timeouts.Token());
        Assert.Equal(200, (int)sse.Response.StatusCode);
        Assert.True((await sse.ReadToEndAsync(Timeouts.Token()))[^1].IsDone);
    }

    [Fact]
    public async Task One_level_past_the_limit_is_refused()
    {
        var body = "{\"x\": " + new string('[', 16) + new string(']', 16) + ", \"message\": \"nested\"}";
        using var response = await SseClient.SendAsync(fixture.Http, body, "application/json", "kim", Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 400, "json_too_deep");
    }

    [Fact]
    public async Task A_top_level_array_nested_deep_is_refused_as_not_an_object()
    {
        using var response = await SseClient.SendAsync(fixture.Http, new string('[', 10_000), "application/json", "kim", Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 400, "invalid_body");
    }

    [Fact]
    public async Task A_huge_number_as_message_is_not_a_string()
    {
        var body = Encoding.UTF8.GetBytes("{\"message\": 1" + new string('0', 5000) + "e99999}");
        using var response = await SseClient.SendAsync(fixture.Http, body, "application/json", "kim", Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 400, "message_not_string");
    }
}
