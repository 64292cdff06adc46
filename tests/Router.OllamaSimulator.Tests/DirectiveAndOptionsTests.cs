using Microsoft.Extensions.Options;

namespace Router.OllamaSimulator.Tests;

public sealed class DirectiveAndOptionsTests
{
    [Fact]
    public void Text_without_marker_has_no_directives() =>
        Assert.Equal(SimDirectives.None, SimDirectives.Parse("plain [sim:ttft=5] text"));

    [Fact]
    public void Several_markers_and_pairs_combine()
    {
        var d = SimDirectives.Parse("a [[sim:ttft=200]] b [[sim:tps=2.5, tokens=40]] [[sim:cut=3]] [[sim:stall=2]] [[sim:status=503]] [[sim:bogus=1,ttft=x]] [[sim:fail=4]]");
        Assert.Equal(new SimDirectives(200, 2.5, 40, 503, 3, 2, 4), d);
    }

    [Fact]
    public void Token_sequence_is_stable_and_cycles()
    {
        Assert.Equal(["The ", "quick ", "brown "], SimulatedText.Tokens(3));
        Assert.Equal(SimulatedText.Token(0), SimulatedText.Token(SimulatedText.CycleLength));
        Assert.Equal(string.Concat(SimulatedText.Tokens(120)), SimulatedText.Text(120));
    }

    [Fact]
    public async Task Invalid_options_fail_at_start_naming_the_setting()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => OllamaSimulator.StartAsync(new SimulatorOptions { TokensPerSecond = -1 }));
        Assert.Contains("Simulator:TokensPerSecond", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_models_replace_the_defaults()
    {
        await using var sim = await OllamaSimulator.StartAsync(new SimulatorOptions { Models = ["phi3:mini"] });
        using var http = new HttpClient { BaseAddress = sim.BaseUrl };
        var tags = await http.GetStringAsync("/api/tags");
        Assert.Contains("\"name\":\"phi3:mini\"", tags, StringComparison.Ordinal);
        Assert.DoesNotContain("llama3.2", tags, StringComparison.Ordinal);

        using var missing = await http.PostAsync("/api/generate", GenerateAndInfoTests.Json("""{"model":"phi3","prompt":"x"}"""));
        Assert.Equal(404, (int)missing.StatusCode);
        using var found = await http.PostAsync("/api/generate", GenerateAndInfoTests.Json("""{"model":"phi3:mini","prompt":"x","stream":false}"""));
        Assert.Equal(200, (int)found.StatusCode);
    }
}
