using System.Text;
using Router.WebFront.Completions;
using Router.WebFront.Surfaces.Complete;

namespace Router.WebFront.Tests.Surfaces.Complete;

public sealed class CompletionBodyParserTests
{
    private const int MaxMessageBytes = 64;

    private static (string? Message, RequestProblem? Problem) Parse(string body) =>
        CompletionBodyParser.Parse(Encoding.UTF8.GetBytes(body), MaxMessageBytes);

    [Theory]
    [InlineData("""{"message":"hi"}""", "hi")]
    [InlineData("""{"other":[1,{"a":null}],"message":"hi","more":true}""", "hi")]
    [InlineData("""  {"message":"caf\u00e9"}  """, "café")]
    [InlineData("""{"message":"\ud83d\ude00"}""", "😀")]
    public void A_well_formed_body_gives_its_message(string body, string expected)
    {
        var (message, problem) = Parse(body);
        Assert.Null(problem);
        Assert.Equal(expected, message);
    }

    [Fact]
    public void A_byte_order_mark_is_ignored()
    {
        var (message, problem) = CompletionBodyParser.Parse([0xEF, 0xBB, 0xBF, .. """{"message":"hi"}"""u8], MaxMessageBytes);
        Assert.Null(problem);
        Assert.Equal("hi", message);
    }

    [Theory]
    [InlineData("", "invalid_json")]
    [InlineData("[]", "invalid_body")]
    [InlineData("\"message\"", "invalid_body")]
    [InlineData("{\"message\":\"hi\"", "invalid_json")]
    [InlineData("""{"message":"hi"} {}""", "invalid_json")]
    [InlineData("""{"message":"hi",}""", "invalid_json")]
    [InlineData("{}", "message_missing")]
    [InlineData("""{"message":null}""", "message_missing")]
    [InlineData("""{"message":"  \t "}""", "message_empty")]
    [InlineData("""{"message":42}""", "message_not_string")]
    [InlineData("""{"message":["hi"]}""", "message_not_string")]
    [InlineData("""{"message":"a","message":"b"}""", "duplicate_message")]
    [InlineData("""{"message":"\ud800 alone"}""", "invalid_unicode_escape")]
    [InlineData("""{"\udfff":1,"message":"hi"}""", "invalid_unicode_escape")]
    public void A_bad_body_gets_a_400_naming_what_is_wrong(string body, string code)
    {
        var (message, problem) = Parse(body);
        Assert.Null(message);
        Assert.NotNull(problem);
        Assert.Equal(400, problem.Status);
        Assert.Equal(code, problem.Code);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_before_parsing()
    {
        var (_, problem) = CompletionBodyParser.Parse([.. """{"message":"a"""u8, 0xC3, 0x28, .. "\"}"u8], MaxMessageBytes);
        Assert.Equal("invalid_utf8", problem?.Code);
    }

    [Fact]
    public void Nesting_is_refused_one_level_past_the_limit_and_accepted_at_it()
    {
        string Nested(int depth) => $$"""{"message":"hi","x":{{new string('[', depth - 1)}}{{new string(']', depth - 1)}}}""";
        Assert.Null(Parse(Nested(CompletionBodyParser.MaxDepth)).Problem);
        Assert.Equal("json_too_deep", Parse(Nested(CompletionBodyParser.MaxDepth + 1)).Problem?.Code);
    }

    [Fact]
    public void The_message_limit_counts_utf8_bytes_after_unescaping()
    {
        // 32 two-byte characters are 64 bytes: at the limit. Written as escapes the body is far longer.
        var atLimit = string.Concat(Enumerable.Repeat("\\u00e9", MaxMessageBytes / 2));
        Assert.Equal(new string('é', MaxMessageBytes / 2), Parse($$"""{"message":"{{atLimit}}"}""").Message);

        var (message, problem) = Parse($$"""{"message":"{{atLimit}}a"}""");
        Assert.Null(message);
        Assert.Equal(413, problem?.Status);
        Assert.Equal("message_too_large", problem?.Code);
    }

    [Fact]
    public void A_problem_with_the_message_waits_until_the_whole_body_is_known_to_be_well_formed()
    {
        Assert.Equal("invalid_json", Parse("""{"message":42,""").Problem?.Code);
        Assert.Equal("invalid_unicode_escape", Parse("""{"message":"a","message":"b","x":"\ud800"}""").Problem?.Code);
    }
}
