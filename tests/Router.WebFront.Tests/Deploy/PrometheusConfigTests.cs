using YamlDotNet.RepresentationModel;

namespace Router.WebFront.Tests.Deploy;

/// <summary>
/// docker-compose.yml against deploy/prometheus/prometheus.yml and deploy/grafana: what Prometheus
/// scrapes is exactly the router services' management endpoints, and Grafana is wired to it.
/// </summary>
public sealed class PrometheusConfigTests
{
    private static readonly YamlMappingNode Compose = DeployFiles.Yaml("docker-compose.yml");
    private static readonly YamlMappingNode Prometheus = DeployFiles.Yaml("deploy/prometheus/prometheus.yml");

    [Fact]
    public void Prometheus_scrapes_the_management_endpoint_of_every_router_service_and_nothing_else()
    {
        var routerServices = ManagementEndpoints();
        Assert.True(routerServices.Count >= 2, $"expected a web front and a silo with a management URL in docker-compose.yml, found: {string.Join(", ", routerServices)}");

        var scraped = Prometheus.Seq("scrape_configs").Cast<YamlMappingNode>()
            .SelectMany(job => job.Seq("dns_sd_configs").Cast<YamlMappingNode>()
                .SelectMany(sd => sd.Seq("names").Select(n => $"{((YamlScalarNode)n).Value}:{sd.Scalar("port")}")))
            .ToHashSet();
        Assert.Equal(routerServices.Order(), scraped.Order());
    }

    [Fact]
    public void Every_scraped_port_is_exposed_on_the_compose_network_and_never_published()
    {
        var services = Compose.Map("services");
        foreach (var target in ManagementEndpoints())
        {
            var (name, port) = (target.Split(':')[0], target.Split(':')[1]);
            var service = services.Map(name);
            Assert.Contains(port, service.Seq("expose").Select(e => ((YamlScalarNode)e).Value));
            Assert.DoesNotContain(service.Seq("ports").Select(p => ((YamlScalarNode)p).Value ?? ""), p => p.Contains(port, StringComparison.Ordinal));
        }

        Assert.Empty(services.Map("prometheus").Seq("ports"));
        Assert.All(services.Map("grafana").Seq("ports"), p => Assert.StartsWith("127.0.0.1:", ((YamlScalarNode)p).Value));
    }

    [Fact]
    public void Every_silo_and_web_front_service_sets_its_management_url()
    {
        var builtFromRouter = Compose.Map("services").Children
            .Where(s => ((YamlMappingNode)s.Value).Child("build") is YamlMappingNode build
                && build.Scalar("dockerfile") is "src/Silo/Dockerfile" or "src/WebFront/Dockerfile")
            .Select(s => ((YamlScalarNode)s.Key).Value!)
            .ToHashSet();
        Assert.Equal(builtFromRouter.Order(), ManagementEndpoints().Select(t => t.Split(':')[0]).Order());
    }

    [Fact]
    public void Grafana_mounts_the_provisioning_and_the_dashboard_and_reads_the_compose_prometheus()
    {
        var volumes = Compose.Map("services").Map("grafana").Seq("volumes").Select(v => ((YamlScalarNode)v).Value!).ToList();
        Assert.Contains("./deploy/grafana/provisioning:/etc/grafana/provisioning:ro", volumes);
        Assert.Contains("./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro", volumes);
        Assert.Contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
            Compose.Map("services").Map("prometheus").Seq("volumes").Select(v => ((YamlScalarNode)v).Value));

        var source = (YamlMappingNode)DeployFiles.Yaml("deploy/grafana/provisioning/datasources/prometheus.yml").Seq("datasources").Single();
        Assert.Equal("http://prometheus:9090", source.Scalar("url"));
        var provider = (YamlMappingNode)DeployFiles.Yaml("deploy/grafana/provisioning/dashboards/router.yml").Seq("providers").Single();
        Assert.Equal("/var/lib/grafana/dashboards", provider.Map("options").Scalar("path"));

        var uids = DeployFiles.Json("deploy/grafana/dashboards/router.json").GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("datasource").GetProperty("uid").GetString()))
            .Distinct();
        Assert.Equal([source.Scalar("uid")], uids);
    }

    /// <summary>"service:port" of every compose service that sets a management URL.</summary>
    private static HashSet<string> ManagementEndpoints() =>
        Compose.Map("services").Children
            .Select(s => (Name: ((YamlScalarNode)s.Key).Value!, Environment: ((YamlMappingNode)s.Value).Child("environment") as YamlMappingNode))
            .SelectMany(s => (s.Environment?.Children.AsEnumerable() ?? [])
                .Where(e => ((YamlScalarNode)e.Key).Value is "Silo__ManagementUrl" or "WebFront__ManagementUrl")
                .Select(e => $"{s.Name}:{new Uri(((YamlScalarNode)e.Value).Value!).Port}"))
            .ToHashSet();
}
