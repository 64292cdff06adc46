using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Surfaces.Ollama;

namespace Router.WebFront.Tests.Surfaces.Ollama;

/// <summary>Ollama's <c>options</c>, <c>think</c> and <c>keep_alive</c> as the router's generation settings.</summary>
public sealed class OllamaOptionsReaderTests
{
    private static (GenerationSettings?, Router.WebFront.Completions.RequestProblem?) Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return OllamaOptionsReader.Read(document.RootElement);
    }

    [Fact]
    public void Each_typed_option_maps_to_its_setting()
    {
        var (settings, problem) = Read("""
            {"options":{"temperature":0.25,"top_p":0.5,"top_k":40,"num_predict":12,"stop":["END","STOP"],"seed":42,
             "frequency_penalty":0.5,"presence_penalty":-0.5}}
            """);

        Assert.Null(problem);
        Assert.Equal(new GenerationSettings(0.25f, 0.5f, 12, null, 42, 40, 0.5f, -0.5f), settings! with { Stop = null });
        Assert.Equal(["END", "STOP"], settings.Stop!);
    }

    [Fact]
    public void Every_other_option_travels_as_a_backend_option_normalised_to_its_type()
    {
        var (settings, problem) = Read("""
            {"options":{"num_ctx":4096.0,"num_keep":-1,"repeat_penalty":1.1,"mirostat":2,"mirostat_eta":0.1,"mirostat_tau":5,
             "num_gqa":8,"num_gpu":1,"main_gpu":0,"num_batch":512,"num_thread":4,"repeat_last_n":64,"tfs_z":1,"min_p":0.05,
             "typical_p":1,"penalize_newline":true,"use_mmap":false,"use_mlock":false,"low_vram":true,"f16_kv":true,
             "logits_all":false,"vocab_only":false,"numa":false}}
            """);

        Assert.Null(problem);
        var extra = settings!.BackendOptions!;
        Assert.Equal(23, extra.Count);
        Assert.Equal("4096", extra["num_ctx"]);
        Assert.Equal("-1", extra["num_keep"]);
        Assert.Equal("1.1", extra["repeat_penalty"]);
        Assert.Equal("5", extra["mirostat_tau"]);
        Assert.Equal("true", extra["low_vram"]);
        Assert.Equal("false", extra["use_mmap"]);
        Assert.Null(settings.Temperature);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-2)]
    [InlineData(0)]
    public void Ollamas_own_num_predict_values_are_no_cap_for_other_backends_and_reach_Ollama_as_sent(int value)
    {
        var (settings, problem) = Read($$$"""{"options":{"num_predict":{{{value}}}}}""");

        Assert.Null(problem);
        Assert.Null(settings!.MaxTokens);
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), settings.BackendOptions!["num_predict"]);
    }

    [Theory]
    [InlineData("""{"options":{}}""")]
    [InlineData("""{"options":null}""")]
    [InlineData("""{"options":{"temperature":null}}""")]
    [InlineData("""{"think":null,"keep_alive":null}""")]
    [InlineData("""{}""")]
    public void No_options_mean_no_settings(string json)
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
    [InlineData("true", "on")]
    [InlineData("false", "off")]
    [InlineData("\"low\"", "low")]
    [InlineData("\"medium\"", "medium")]
    [InlineData("\"high\"", "high")]
    public void Think_becomes_the_reasoning_setting(string think, string reasoning)
    {
        var (settings, problem) = Read($$"""{"think":{{think}}}""");

        Assert.Null(problem);
        Assert.Equal(reasoning, settings!.Reasoning);
    }

    [Theory]
    [InlineData("\"5m\"", "5m")]
    [InlineData("\"1h30m\"", "1h30m")]
    [InlineData("\"-1\"", null)]
    [InlineData("\"-1m\"", "-1m")]
    [InlineData("\"0\"", "0")]
    [InlineData("\"1.5h\"", "1.5h")]
    [InlineData("300", "300s")]
    [InlineData("1.5", "1.5s")]
    [InlineData("0", "0s")]
    [InlineData("-1", "-1s")]
    public void Keep_alive_reaches_the_backend_as_a_duration(string keepAlive, string? expected)
    {
        var (settings, problem) = Read($$"""{"keep_alive":{{keepAlive}}}""");

        if (expected is null)
        {
            // Ollama's duration strings need a unit ("-1" alone is not one); Ollama refuses it too.
            Assert.Equal("invalid_keep_alive", problem!.Code);
            return;
        }

        Assert.Null(problem);
        Assert.Equal(expected, settings!.KeepAlive);
    }

    [Theory]
    [InlineData("""{"options":[]}""", "'options'")]
    [InlineData("""{"options":{"temperature":"hot"}}""", "'temperature'")]
    [InlineData("""{"options":{"num_predict":1.5}}""", "'num_predict'")]
    [InlineData("""{"options":{"num_predict":-3}}""", "'num_predict'")]
    [InlineData("""{"options":{"temperature":-0.1}}""", "'temperature'")]
    [InlineData("""{"options":{"temperature":1e39}}""", "'temperature'")]
    [InlineData("""{"options":{"top_p":1.5}}""", "'top_p'")]
    [InlineData("""{"options":{"top_k":-1}}""", "'top_k'")]
    [InlineData("""{"options":{"num_ctx":4294967296}}""", "'num_ctx'")]
    [InlineData("""{"options":{"seed":"x"}}""", "'seed'")]
    [InlineData("""{"options":{"seed":9007199254740993}}""", "'seed'")]
    [InlineData("""{"options":{"stop":[1]}}""", "'stop'")]
    [InlineData("""{"options":{"use_mmap":1}}""", "'use_mmap'")]
    [InlineData("""{"options":{"mirostat":3}}""", "'mirostat'")]
    [InlineData("""{"options":{"num_ctxx":4096}}""", "'num_ctxx'")]
    [InlineData("""{"options":{"embedding_only":true}}""", "'embedding_only'")]
    [InlineData("""{"think":"max"}""", "'think'")]
    [InlineData("""{"think":1}""", "'think'")]
    [InlineData("""{"keep_alive":"soon"}""", "'keep_alive'")]
    [InlineData("""{"keep_alive":true}""", "'keep_alive'")]
    [InlineData("""{"keep_alive":1e300}""", "'keep_alive'")]
    public void A_wrong_type_an_unknown_name_or_a_value_out_of_range_is_a_400_naming_it(string json, string named)
    {
        var (settings, problem) = Read(json);

        Assert.Null(settings);
        Assert.Equal(400, problem!.Status);
        Assert.Contains(named, problem.Detail);
    }
}
