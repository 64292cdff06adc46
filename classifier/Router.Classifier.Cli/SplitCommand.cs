using Router.Classifier.Data;

namespace Router.Classifier.Cli;

internal static class SplitCommand
{
    public static int Run(CommandLine commandLine)
    {
        var inputs = commandLine.GetAll("data");
        if (inputs.Count == 0)
        {
            throw new ArgumentException("--data needs at least one file.");
        }

        // Read everything before writing: the outputs are usually among the inputs.
        var prompts = inputs.SelectMany(LabelledPromptFile.Read).ToList();
        var (train, holdout) = DatasetSplitter.Split(prompts, commandLine.GetInt("holdout-percent", 20));
        var trainOut = commandLine.Get("train-out") ?? "classifier/data/train.tsv";
        var holdoutOut = commandLine.Get("holdout-out") ?? "classifier/data/holdout.tsv";
        LabelledPromptFile.Write(trainOut, train);
        LabelledPromptFile.Write(holdoutOut, holdout);
        Console.WriteLine($"read {prompts.Count} lines, {train.Count + holdout.Count} distinct; wrote {train.Count} to {trainOut}, {holdout.Count} to {holdoutOut}");
        foreach (var category in PromptCategories.All)
        {
            Console.WriteLine($"  {category,-20} train {train.Count(p => p.Category == category),5}  holdout {holdout.Count(p => p.Category == category),5}");
        }

        return 0;
    }
}
