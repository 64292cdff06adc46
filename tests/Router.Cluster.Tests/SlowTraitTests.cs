using System.Reflection;
using Router.Cluster.Tests.Infrastructure;
using Router.Testing;

namespace Router.Cluster.Tests;

/// <summary>
/// <c>scripts/test.sh --fast</c> leaves out the tests marked <c>[Trait("Category", "Slow")]</c> and must start
/// no Redis, no PostgreSQL and no extra process; every test class on the cluster services (which start
/// them) must therefore carry the trait.
/// </summary>
public sealed class SlowTraitTests
{
    [Fact]
    public void Every_test_class_on_the_cluster_services_is_marked_slow()
    {
        var onClusterServices = typeof(ClusterServices).Assembly.GetTypes()
            .Where(t => Arguments(t, typeof(CollectionAttribute)).Any(a => a.SequenceEqual([ClusterCollection.Name])))
            .ToList();
        var unmarked = onClusterServices
            .Where(t => !Arguments(t, typeof(TraitAttribute)).Any(a => a.SequenceEqual(["Category", "Slow"])))
            .Select(t => t.Name)
            .ToList();

        Assert.True(onClusterServices.Count >= 8, $"found only {onClusterServices.Count} test classes on the cluster services");
        Assert.True(unmarked.Count == 0, "test classes that start processes without the Slow trait: " + string.Join(", ", unmarked));
    }

    [Fact]
    public void Every_test_that_starts_redis_postgres_or_a_router_process_is_marked_slow()
    {
        Type[] starters = [typeof(ClusterServices), typeof(RedisServer), typeof(PostgresServer), typeof(RouterProcess), typeof(LocalCluster), typeof(WebFrontProcess)];
        var assembly = typeof(SlowTraitTests).Assembly;

        var unmarked = SlowTraitRule.UnmarkedStarters(assembly, starters);

        // All ten tests of this assembly but these rule checks, PostgresClusterTests (PostgreSQL, no cluster services) among them.
        Assert.True(SlowTraitRule.Reaching(assembly, starters) >= 10, $"the rule found only {SlowTraitRule.Reaching(assembly, starters)} tests reaching a starter");
        Assert.True(unmarked.Count == 0, "tests that start Redis, PostgreSQL or a process without the Slow trait: " + string.Join(", ", unmarked));
    }

    /// <summary>The constructor arguments of each <paramref name="attribute"/> on <paramref name="type"/> (xunit's attributes keep them nowhere else).</summary>
    private static IEnumerable<object?[]> Arguments(Type type, Type attribute) =>
        type.GetCustomAttributesData()
            .Where(a => a.AttributeType == attribute)
            .Select(a => a.ConstructorArguments.Select(c => c.Value).ToArray());
}
