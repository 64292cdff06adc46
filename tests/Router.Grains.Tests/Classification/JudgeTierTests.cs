using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Router.Grains.Classification;
using Router.Grains.Hosting;
using Router.Testing;

namespace Router.Grains.Tests.Classification;

/// <summary>
/// The judge tier, wired as the router wires it (in-process classifier, <c>Classifier:Judge:*</c>), asking the Ollama
/// simulator over real HTTP. The simulator answers a JSON-schema request with the schema's sample, the first value of
/// an <c>enum</c>: for the judge's schema that is <c>code</c>, so a judged prompt that is plainly not about code shows
/// the judge decided.
/// </summary>
public sealed class JudgeTierTests
{
    private const string JudgeModel = "llama3.2:1b";

    private const string NotCode = "what should I cook tonight, I have eggs and spinach";

    [Fact]
    public async Task An_unsure_prompt_goes_to_the_judge_whose_category_decides_through_the_routing_table()
    {
        await using var simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new() { Models = { JudgeModel } });
        await using var services = Services(simulator.BaseUrl, below: "1", timeout: "00:00:30");
        var classifier = services.GetRequiredService<IPromptClassifier>();
        var alone = await services.GetRequiredService<InProcessPromptClassifier>().ClassifyAsync(NotCode, CancellationToken.None);

        var route = await classifier.ClassifyAsync(NotCode, CancellationToken.None);

        Assert.NotEqual("code", alone.Category);
        Assert.Equal("code", route.Category);
        Assert.Equal("judge", route.Tier);
        Assert.Equal("qwen2.5-coder", route.Model);
        var request = Assert.Single(simulator.Journal.Requests);
        Assert.Equal(JudgeModel, request.Model);
        Assert.Equal(NotCode, request.LastUserMessage);
        Assert.NotNull(request.ResponseFormat?.SchemaJson);
        Assert.Contains("\"text_transformation\"", request.ResponseFormat.SchemaJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confident_prompt_is_not_judged()
    {
        await using var simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new() { Models = { JudgeModel } });
        await using var services = Services(simulator.BaseUrl, below: "0.5", timeout: "00:00:30");

        var route = await services.GetRequiredService<IPromptClassifier>()
            .ClassifyAsync("Write a Python function that reverses a linked list.", CancellationToken.None);

        Assert.Equal("code", route.Category);
        Assert.NotEqual("judge", route.Tier);
        Assert.Empty(simulator.Journal.Requests);
    }

    [Fact]
    public async Task A_judge_slower_than_its_timeout_leaves_the_classifiers_answer()
    {
        await using var simulator = await OllamaSimulator.OllamaSimulator.StartAsync(new() { Models = { JudgeModel } });
        // The judge's answer is held until the test ends, so only the judge's timeout can end the wait; the
        // timeout is long enough for the request to reach the simulator on a loaded machine.
        await using var services = Services(simulator.BaseUrl, below: "1", timeout: "00:00:10");
        var hold = $"judge-{Guid.NewGuid():N}";
        var message = $"{NotCode} [[sim:hold={hold}]]";
        var alone = await services.GetRequiredService<InProcessPromptClassifier>().ClassifyAsync(message, CancellationToken.None);

        try
        {
            var judged = services.GetRequiredService<IPromptClassifier>().ClassifyAsync(message, CancellationToken.None);
            await simulator.Holds.WaitUntilHeldAsync(hold, TimeSpan.FromSeconds(30));
            var route = await judged.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal((alone.Model, alone.Category, alone.Confidence, alone.Tier), (route.Model, route.Category, route.Confidence, route.Tier));
        }
        finally
        {
            simulator.Holds.Release(hold);
        }
    }

    [Fact]
    public async Task An_unreachable_judge_leaves_the_classifiers_answer()
    {
        using var nowhere = RefusedPort.Reserve();
        await using var services = Services(nowhere.Url, below: "1", timeout: "00:00:30");
        var alone = await services.GetRequiredService<InProcessPromptClassifier>().ClassifyAsync(NotCode, CancellationToken.None);

        var route = await services.GetRequiredService<IPromptClassifier>().ClassifyAsync(NotCode, CancellationToken.None);

        Assert.Equal((alone.Model, alone.Category, alone.Confidence, alone.Tier), (route.Model, route.Category, route.Confidence, route.Tier));
    }

    private static ServiceProvider Services(Uri judgeUrl, string below, string timeout)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Classifier:Judge:Model"] = JudgeModel,
            ["Classifier:Judge:Url"] = judgeUrl.ToString(),
            ["Classifier:Judge:Below"] = below,
            ["Classifier:Judge:Timeout"] = timeout,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRouterGrainServices(configuration);
        return services.BuildServiceProvider();
    }
}
