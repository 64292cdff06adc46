using System.Text.Json;
using Router.WebFront.Completions;

namespace Router.WebFront.Tests.Completions;

public sealed class JsonBodyReaderTests
{
    private const int MaxBody = 128;

    private static Task<(string? Value, RequestProblem? Problem)> ReadAsync(Microsoft.AspNetCore.Http.HttpRequest request) =>
        JsonBodyReader.ReadAsync<string>(request, MaxBody, root => (root.GetProperty("name").GetString(), null), CancellationToken.None);

    [Fact]
    public async Task An_object_is_handed_to_the_parser_and_its_answer_returned()
    {
        var (value, problem) = await ReadAsync(TestRequests.Json("""{"name":"router"}"""));
        Assert.Null(problem);
        Assert.Equal("router", value);
    }

    [Fact]
    public async Task The_parsers_problem_is_returned_as_it_is()
    {
        var refusal = RequestProblems.Invalid("name_bad", "no");
        var (_, problem) = await JsonBodyReader.ReadAsync<string>(
            TestRequests.Json("""{"name":1}"""), MaxBody, _ => (null, refusal), CancellationToken.None);
        Assert.Same(refusal, problem);
    }

    [Theory]
    [InlineData("[1]", "invalid_body")]
    [InlineData("\"text\"", "invalid_body")]
    [InlineData("{\"name\":", "invalid_json")]
    [InlineData("", "invalid_json")]
    [InlineData("""{"name":"\ud800"}""", "invalid_unicode_escape")]
    public async Task A_body_that_is_no_json_object_is_a_400(string body, string code)
    {
        var (value, problem) = await ReadAsync(TestRequests.Json(body));
        Assert.Null(value);
        Assert.Equal(400, problem?.Status);
        Assert.Equal(code, problem?.Code);
    }

    [Fact]
    public async Task Nesting_past_32_levels_is_invalid_json()
    {
        var deep = "{\"name\":\"x\",\"d\":" + new string('[', 40) + new string(']', 40) + "}";
        var (_, problem) = await JsonBodyReader.ReadAsync<string>(TestRequests.Json(deep), 1024, root => ("parsed", null), CancellationToken.None);
        Assert.Equal("invalid_json", problem?.Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_limit_is_a_413_whether_or_not_its_length_was_announced(bool announceLength)
    {
        var body = JsonSerializer.Serialize(new { name = new string('n', MaxBody) });
        var (value, problem) = await ReadAsync(TestRequests.Json(body, announceLength: announceLength));
        Assert.Null(value);
        Assert.Equal(413, problem?.Status);
        Assert.Equal("body_too_large", problem?.Code);
    }
}
