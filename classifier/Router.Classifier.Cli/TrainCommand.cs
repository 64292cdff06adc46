using System.Diagnostics;
using Microsoft.ML;
using Router.Classifier.Data;
using Router.Classifier.Training;

namespace Router.Classifier.Cli;

internal static class TrainCommand
{
    public static int Run(CommandLine commandLine)
    {
        var data = commandLine.Require("data");
        var output = commandLine.Require("out");
        var trainer = commandLine.Get("trainer") is { } name ? Enum.Parse<PromptTrainerKind>(name, ignoreCase: true) : PromptModelTrainer.DefaultTrainer;
        var prompts = LabelledPromptFile.Read(data);
        var stopwatch = Stopwatch.StartNew();
        var ml = new MLContext(seed: PromptModelTrainer.Seed);
        var model = PromptModelTrainer.Train(ml, prompts, trainer);
        PromptModelTrainer.Save(ml, model, output);
        var manifestPath = ModelManifest.PathFor(output);
        ModelManifest.For(prompts, trainer).Write(manifestPath);
        Console.WriteLine($"trained {trainer} on {prompts.Count} prompts from {data} in {stopwatch.ElapsedMilliseconds} ms; wrote {output} and {manifestPath}");
        foreach (var group in prompts.GroupBy(p => p.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {group.Key,-20} {group.Count(),5}");
        }

        return 0;
    }
}
