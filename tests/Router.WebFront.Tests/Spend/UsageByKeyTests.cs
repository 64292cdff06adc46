using Router.Testing;
using Router.WebFront.Tests.Auth;

namespace Router.WebFront.Tests.Spend;

/// <summary><c>/admin/usage?key_id=…</c>: one key's usage over time, as the console's Keys section reads it.</summary>
[Collection(SpendRouterCollection.Name)]
public sealed class UsageByKeyTests(SpendRouterFixture fixture)
{
    [Fact]
    public async Task Admin_usage_narrowed_to_a_key_sums_that_keys_rows_by_hour()
    {
        var mine = await fixture.CreateKeyAsync($"bykey-a-{Guid.NewGuid():N}"[..20]);
        var other = await fixture.CreateKeyAsync($"bykey-b-{Guid.NewGuid():N}"[..20]);
        await Task.WhenAll(DrainAsync(mine.Key, "one"), DrainAsync(mine.Key, "two"), DrainAsync(other.Key, "three"));
        var rows = await fixture.WaitForRowsAsync($"key_id={mine.Id}", 2, "the key's rows");
        await fixture.WaitForRowsAsync($"key_id={other.Id}", 1, "the other key's row");

        var usage = await fixture.AdminGetAsync($"/admin/usage?group_by=hour&key_id={mine.Id}");
        var groups = usage.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(2, groups.Sum(g => g.GetProperty("requests").GetInt64()));
        Assert.Equal(rows.Sum(r => r.GetProperty("cost").GetDecimal()), groups.Sum(g => g.GetProperty("cost").GetDecimal()));
        Assert.All(groups, g => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$", g.GetProperty("group").GetString()));

        var byUser = await fixture.AdminGetAsync($"/admin/usage?group_by=key&user_id={rows[0].GetProperty("user_id").GetString()}");
        Assert.Equal(mine.Id, Assert.Single(byUser.GetProperty("groups").EnumerateArray()).GetProperty("group").GetString());
    }

    [Theory]
    [InlineData("/admin/usage?key_id=", "invalid_key_id")]
    [InlineData("/admin/usage?user_id=a&user_id=b", "invalid_user_id")]
    public async Task Bad_narrowing_parameters_are_a_400_naming_them(string pathAndQuery, string code)
    {
        using var response = await fixture.Http.SendAsync(KeysRouterFixture.Admin(HttpMethod.Get, pathAndQuery), Timeouts.Token());
        await ProblemAssert.IsProblemAsync(response, 400, code);
    }

    private async Task DrainAsync(string key, string message)
    {
        await using var sse = await SseClient.OpenAsync(fixture.Http, KeysRouterFixture.Complete(key, $"{Guid.NewGuid():N} {message}"), Timeouts.Token());
        var events = await sse.ReadToEndAsync(Timeouts.Token());
        Assert.True(events[^1].IsDone, $"the answer ended with {events[^1].Data}");
    }
}
