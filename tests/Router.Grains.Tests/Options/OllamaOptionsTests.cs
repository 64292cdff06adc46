using Microsoft.Extensions.Configuration;
using Router.Grains.Options;

namespace Router.Grains.Tests.Options;

/// <summary>The replica settings bind from configuration, and bad ones fail at start-up naming the setting.</summary>
public sealed class OllamaOptionsTests
{
    [Fact]
    public void Endpoints_and_model_endpoints_bind_and_replace_the_base_url()
    {
        var options = Bind(new()
        {
            ["Ollama:BaseUrl"] = "http://unused:11434",
            ["Ollama:Models:0"] = "llama3.2",
            ["Ollama:Models:1"] = "deepseek-r1",
            ["Ollama:Endpoints:0"] = "http://10.0.0.1:11434",
            ["Ollama:Endpoints:1"] = "http://10.0.0.2:11434",
            ["Ollama:ModelEndpoints:deepseek-r1:0"] = "http://10.0.0.3:11434",
        });

        Assert.True(new OllamaOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal([new Uri("http://10.0.0.1:11434"), new Uri("http://10.0.0.2:11434")], options.EndpointsFor("llama3.2"));
        Assert.Equal([new Uri("http://10.0.0.3:11434")], options.EndpointsFor("DeepSeek-R1"));
        Assert.Equal(2, options.AttemptsFor(2));
        Assert.Equal(options.FirstTokenTimeout * 2, options.FailoverDeadlineFor(2));
    }

    [Fact]
    public void Without_endpoints_the_base_url_is_the_only_replica()
    {
        var options = Bind(new() { ["Ollama:BaseUrl"] = "http://ollama:11434" });
        Assert.Equal([new Uri("http://ollama:11434")], options.EndpointsFor("llama3.2"));
    }

    [Theory]
    [InlineData("Ollama:Endpoints:1", "not a url", "Ollama:Endpoints:1 must be an absolute http(s) URL")]
    [InlineData("Ollama:Endpoints:1", "ftp://10.0.0.2/", "Ollama:Endpoints:1 must be an absolute http(s) URL")]
    [InlineData("Ollama:ModelEndpoints:llama3.2:0", "/relative", "Ollama:ModelEndpoints:llama3.2:0 must be an absolute http(s) URL")]
    [InlineData("Ollama:ModelEndpoints:mistral:0", "http://10.0.0.3:11434", "Ollama:ModelEndpoints:mistral names a model that is not in Ollama:Models")]
    [InlineData("Ollama:MaxAttempts", "0", "Ollama:MaxAttempts must be at least 1")]
    [InlineData("Ollama:FailoverDeadline", "00:00:00", "Ollama:FailoverDeadline must be positive")]
    [InlineData("Ollama:MaxProbeBackoff", "00:00:00.100", "Ollama:MaxProbeBackoff must not be shorter than Ollama:ProbeBackoff")]
    public void A_bad_replica_setting_fails_naming_it(string key, string value, string message)
    {
        var options = Bind(new() { ["Ollama:Endpoints:0"] = "http://10.0.0.1:11434", [key] = value });
        var result = new OllamaOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage);
    }

    private static OllamaOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new OllamaOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(OllamaOptions.SectionName).Bind(options);
        return options;
    }
}
