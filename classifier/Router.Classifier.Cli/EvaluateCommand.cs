using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Router.Classifier.Data;
using Router.Classifier.Evaluation;
using Router.Classifier.Training;

namespace Router.Classifier.Cli;

internal static class EvaluateCommand
{
    public static int Run(CommandLine commandLine)
    {
        var data = commandLine.Require("data");
        var prompts = LabelledPromptFile.Read(data);
        var stopwatch = Stopwatch.StartNew();
        var options = new ClassifierModelOptions { ModelPath = commandLine.Get("model"), TrainingDataPath = commandLine.Get("train") };
        options.Encoder.Enabled = !commandLine.Has("no-encoder");
        if (commandLine.Get("escalate-below") is { } bound)
        {
            options.Encoder.EscalateBelow = double.Parse(bound, System.Globalization.CultureInfo.InvariantCulture);
        }

        using var model = PromptCategoryModelFactory.Create(options);
        model.EncoderReady.GetAwaiter().GetResult();
        var source = options.TrainingDataPath ?? options.ModelPath ?? "the shipped model";
        Console.WriteLine($"model: {source} (ready in {stopwatch.ElapsedMilliseconds} ms)");
        Console.WriteLine($"data:  {data}; encoder tier {(model.HasEncoderTier ? $"below {options.Encoder.EscalateBelow}" : "off")}");
        var report = ClassifierEvaluator.Evaluate(model, prompts);
        Console.WriteLine(EvaluationReportFormatter.Format(report));
        if (commandLine.Has("misses"))
        {
            Console.WriteLine("misclassified (expected → predicted, confidence):");
            foreach (var miss in report.Misclassified)
            {
                Console.WriteLine($"  {miss.Expected} → {miss.Predicted} {miss.Confidence:F2} {miss.Tier}  {LabelledPromptFile.Escape(Truncate(miss.Message))}");
            }
        }

        return 0;
    }

    /// <summary>Trains every trainer kind on one file and evaluates on another, to choose the default by measurement.</summary>
    public static int Compare(CommandLine commandLine)
    {
        var train = LabelledPromptFile.Read(commandLine.Require("train"));
        var test = LabelledPromptFile.Read(commandLine.Require("data"));
        Console.WriteLine($"{"trainer",-32} {"train ms",8} {"accuracy",8} {"macro-F1",8} {"min recall",10}");
        foreach (var kind in commandLine.Get("trainer") is { } only ? [Enum.Parse<PromptTrainerKind>(only)] : Enum.GetValues<PromptTrainerKind>())
        {
            var ml = new MLContext(seed: PromptModelTrainer.Seed);
            var stopwatch = Stopwatch.StartNew();
            var transformer = PromptModelTrainer.Train(ml, train, kind);
            var elapsed = stopwatch.ElapsedMilliseconds;
            using var model = new PromptCategoryModel(ml, transformer, new RoutingTable(new RoutingTableOptions()));
            var report = ClassifierEvaluator.Evaluate(model, test);
            Console.WriteLine($"{kind,-32} {elapsed,8} {report.Accuracy,8:F4} {report.MacroF1,8:F4} {report.PerCategory.Min(m => m.Recall),10:F4}");
        }

        return 0;
    }

    /// <summary>
    /// The n-gram tier's macro-F1 on --data for a small grid of featurisations and regularisations (LBFGS maximum
    /// entropy), the shipped setting marked; used to re-choose the featurisation on a validation set.
    /// </summary>
    public static int CompareFeaturizations(CommandLine commandLine)
    {
        var train = PromptModelTrainer.ToRows(LabelledPromptFile.Read(commandLine.Require("train")));
        var test = LabelledPromptFile.Read(commandLine.Require("data"));
        Console.WriteLine($"{"word n",6} {"char n",6} {"L2",6} {"accuracy",8} {"macro-F1",8} {"min recall",10}");
        foreach (var word in new[] { 1, 2, 3 })
        {
            foreach (var chars in new[] { 3, 4, 5 })
            {
                foreach (var l2 in new[] { 0.003f, 0.01f, 0.03f })
                {
                    var featurization = new PromptFeaturization(word, chars, l2);
                    var ml = new MLContext(seed: PromptModelTrainer.Seed);
                    var transformer = PromptModelTrainer.Train(ml, train, PromptModelTrainer.DefaultTrainer, PromptFeatureSet.Ngrams, featurization);
                    using var model = new PromptCategoryModel(ml, transformer, new RoutingTable(new RoutingTableOptions()));
                    var report = ClassifierEvaluator.Evaluate(model, test);
                    var mark = featurization == PromptFeaturization.Default ? "  (shipped)" : "";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{word,6} {chars,6} {l2,6} {report.Accuracy,8:F4} {report.MacroF1,8:F4} {report.PerCategory.Min(m => m.Recall),10:F4}{mark}"));
                }
            }
        }

        return 0;
    }

    private static string Truncate(string message) => message.Length <= 160 ? message : message[..160] + "…";
}
