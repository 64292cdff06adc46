namespace Router.WebFront.Completions;

/// <summary>Why a request was refused before its stream started; becomes an RFC 7807 problem body.</summary>
public sealed record RequestProblem(int Status, string Code, string Title, string Detail)
{
    public IResult ToResult() => TypedResults.Problem(
        detail: Detail,
        statusCode: Status,
        title: Title,
        type: $"https://router.local/problems/{Code}",
        extensions: new Dictionary<string, object?> { ["code"] = Code });
}
