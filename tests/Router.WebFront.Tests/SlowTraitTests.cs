using Router.Testing;
using Router.WebFront.Tests.Console;

namespace Router.WebFront.Tests;

/// <summary>
/// <c>scripts/test.sh --fast</c> must start no PostgreSQL and no extra process: the request log's PostgreSQL
/// tests and the console's browser tests (Chromium) carry the Slow trait, and so must any test added beside them.
/// </summary>
public sealed class SlowTraitTests
{
    [Fact]
    public void Every_test_that_starts_postgres_or_a_browser_is_marked_slow()
    {
        Type[] starters = [typeof(PostgresServer), typeof(ConsoleFixture), typeof(Microsoft.Playwright.IPlaywright)];
        var assembly = typeof(SlowTraitTests).Assembly;

        var unmarked = SlowTraitRule.UnmarkedStarters(assembly, starters);

        // The six known: two request log tests on PostgreSQL, four console tests in Chromium.
        Assert.True(SlowTraitRule.Reaching(assembly, starters) >= 6, $"the rule found only {SlowTraitRule.Reaching(assembly, starters)} tests reaching a starter");
        Assert.True(unmarked.Count == 0, "tests that start PostgreSQL or a browser without the Slow trait: " + string.Join(", ", unmarked));
    }
}
