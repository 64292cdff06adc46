using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Surfaces.Ollama;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>Ollama's <c>options</c> as the router's generation settings.</summary>
public sealed class OllamaOptionsReaderTests
{
    private static (GenerationSettings?, Router.WebFront.Completions.RequestProblem?) Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return OllamaOptionsReader.Read(document.RootElement);
    }

    [Fact]
    public void Each_supported_option_maps_to_its_setting()
    {
        var (settings, problem) = Read("""{"options":{"temperature":0.25,"top_p":0.5,"num_predict":12,"stop":["END","STOP"],"seed":42,"num_ctx":4096}}""");

        Assert.Null(problem);
        Assert.NotNull(settings);
        Assert.Equal(0.25f, settings.Temperature);
        Assert.Equal(0.5f, settings.TopP);
        Assert.Equal(12, settings.MaxTokens);
        Assert.Equal(["END", "STOP"], settings.Stop!);
        Assert.Equal(42L, settings.Seed);
    }

    [Theory]
    [InlineData("""{"options":{"num_predict":-1}}""")]
    [InlineData("""{"options":{"num_predict":-2}}""")]
    [InlineData("""{"options":{}}""")]
    [InlineData("""{"options":null}""")]
    [InlineData("""{}""")]
    public void No_cap_and_no_options_mean_no_settings(string json)
    {
        var (settings, problem) = Read(json);

        Assert.Null(problem);
        Assert.Null(settings);
    }

    [Fact]
    public void A_single_stop_string_is_one_stop_sequence()
    {
        var (settings, _) = Read("""{"options":{"stop":"END"}}""");

        Assert.Equal(["END"], settings!.Stop!);
    }

    [Theory]
    [InlineData("""{"options":[]}""")]
    [InlineData("""{"options":{"temperature":"hot"}}""")]
    [InlineData("""{"options":{"num_predict":1.5}}""")]
    [InlineData("""{"options":{"seed":"x"}}""")]
    [InlineData("""{"options":{"stop":[1]}}""")]
    public void A_wrong_type_is_a_400(string json)
    {
        var (settings, problem) = Read(json);

        Assert.Null(settings);
        Assert.Equal(400, problem!.Status);
    }
}
