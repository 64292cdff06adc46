namespace Router.WebFront.Tests.Completions.Fuzz;

/// <summary>One generated request: what was done to a valid one, and the parts that go on the wire.</summary>
internal sealed record FuzzCase(int Index, string Mutation, byte[] Body, string? ContentType, IReadOnlyList<string> UserIds, bool Chunked)
{
    public override string ToString()
    {
        var body = Body.Length > 120 ? Convert.ToHexString(Body, 0, 120) + "…" : Convert.ToHexString(Body);
        return $"#{Index} {Mutation} content-type={ContentType ?? "(none)"} user-ids=[{string.Join("|", UserIds)}] chunked={Chunked} body={body} ({Body.Length} bytes)";
    }
}
