using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Router.Grains.Hosting;
using Router.Grains.Options;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Router.Grains.Tests.Options;

public sealed class UpstreamsOptionsTests
{
    [Fact]
    public void The_upstream_list_binds_from_configuration_and_a_bad_url_fails_naming_the_setting()
    {
        using var services = Services(new()
        {
            ["Upstreams:0:Name"] = "good",
            ["Upstreams:0:BaseUrl"] = "https://models.example/v1",
            ["Upstreams:1:Name"] = "qwen2.5:7b",
            ["Upstreams:1:BaseUrl"] = "models.example/v1",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<UpstreamsOptions>>().Value);
        var failure = Assert.Single(ex.Failures);
        Assert.Contains("Upstreams:1:BaseUrl", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_list_binds_names_with_colons_keys_and_upstream_model_names()
    {
        using var services = Services(new()
        {
            ["Upstreams:0:Name"] = "qwen2.5:7b",
            ["Upstreams:0:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Upstreams:0:ApiKey"] = "sk-1",
            ["Upstreams:1:Name"] = "fast",
            ["Upstreams:1:BaseUrl"] = "https://models.example/v1",
            ["Upstreams:1:Model"] = "vendor/fast-model",
        });

        var models = services.GetRequiredService<IOptions<UpstreamsOptions>>().Value.Models;
        Assert.Equal(["qwen2.5:7b", "fast"], models.Select(m => m.Name));
        Assert.Equal("sk-1", models[0].ResolveApiKey());
        Assert.Equal("qwen2.5:7b", models[0].EffectiveModel);
        Assert.Null(models[1].ResolveApiKey());
        Assert.Equal("vendor/fast-model", models[1].EffectiveModel);
    }

    [Fact]
    public void Each_mistake_is_named_by_its_setting()
    {
        var options = new UpstreamsOptions();
        options.Models.Add(new UpstreamOptions { Name = "", BaseUrl = new Uri("ftp://models.example/") });
        options.Models.Add(new UpstreamOptions { Name = "a", BaseUrl = new Uri("http://models.example/v1"), ApiKeyEnv = $"ROUTER_UNSET_{Guid.NewGuid():N}" });
        options.Models.Add(new UpstreamOptions { Name = "A", BaseUrl = new Uri("http://models.example/v1") });
        options.Models.Add(new UpstreamOptions { Name = "llama3.2", BaseUrl = new Uri("http://models.example/v1") });

        var result = new UpstreamsOptionsValidator(MsOptions.Create(new OllamaOptions())).Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Upstreams:0:Name", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Upstreams:0:BaseUrl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Upstreams:1:ApiKeyEnv", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Upstreams:2:Name", StringComparison.Ordinal) && f.Contains("more than once"));
        Assert.Contains(failures, f => f.StartsWith("Upstreams:3:Name", StringComparison.Ordinal) && f.Contains("Ollama:Models"));
        Assert.Equal(5, failures.Count);
    }

    [Fact]
    public void No_upstreams_is_valid()
    {
        using var services = Services([]);
        Assert.Empty(services.GetRequiredService<IOptions<UpstreamsOptions>>().Value.Models);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddRouterGrainServices(configuration).BuildServiceProvider();
    }
}
