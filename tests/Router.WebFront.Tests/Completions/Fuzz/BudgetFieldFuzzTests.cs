using System.Text;
using Router.WebFront.Tests.Auth;

namespace Router.WebFront.Tests.Completions.Fuzz;

/// <summary>
/// The admin API's budget fields, <c>spend_per_day</c> and <c>spend_per_month</c>, given every kind of
/// value that is no budget (negative, out of range, huge, not a number): each is a 400 that names the
/// field, on a new key and on a patch, and the patched key keeps the budget it had.
/// </summary>
[Collection(LeaseRouterCollection.Name)]
public sealed class BudgetFieldFuzzTests(LeaseRouterFixture fixture)
{
    /// <summary>No budget: the range is 0 to 1,000,000,000 in the pricing currency, or null for none.</summary>
    public static readonly string[] NotABudget =
    [
        "-1", "-0.0001", "-1.7976931348623157e308", "-9223372036854775809", "1000000000.0001", "2147483648000",
        "9223372036854775808", "18446744073709551616", "123456789012345678901234567890", "1.7976931348623157e308", "1e309", "1E400",
        "\"5\"", "\"-1\"", "\"NaN\"", "\"Infinity\"", "\"\"", "\"0.25 USD\"", "true", "false", "[]", "[5]", "{}", "{\"amount\":5}",
    ];

    public static TheoryData<string> Fields => new() { "spend_per_day", "spend_per_month" };

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Every_value_that_is_no_budget_is_a_400_naming_the_field_on_create_and_on_patch(string field)
    {
        var (keyId, _) = await fixture.CreateKeyAsync($"fuzz-budget-{field}", new Dictionary<string, object> { [field] = 5 });
        var failures = new List<string>();
        foreach (var value in NotABudget)
        {
            foreach (var (method, path, body) in new[]
            {
                (HttpMethod.Post, "/admin/keys", $"{{\"user_id\":\"fuzz-budget\",\"limits\":{{\"{field}\":{value}}}}}"),
                (HttpMethod.Patch, $"/admin/keys/{keyId}", $"{{\"limits\":{{\"{field}\":{value}}}}}"),
            })
            {
                using var request = KeysRouterFixture.Admin(method, path);
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await fixture.Http.SendAsync(request, Timeouts.Token());
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode != 400 || !text.Contains($"'{field}'", StringComparison.Ordinal))
                {
                    failures.Add($"{method} {field} = {value}: {(int)response.StatusCode} {text}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} values were not a 400 naming '{field}':\n{string.Join("\n", failures)}");

        using var get = KeysRouterFixture.Admin(HttpMethod.Get, $"/admin/keys/{keyId}");
        using var shown = await fixture.Http.SendAsync(get, Timeouts.Token());
        var key = System.Text.Json.JsonDocument.Parse(await shown.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(5m, key.GetProperty("limits").GetProperty(field).GetDecimal());
    }
}
