using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Router.Classifier.Conversations;
using Router.Classifier.Data;
using Router.Classifier.Embedding;
using Router.Classifier.Training;

namespace Router.Classifier.Cli;

internal static class TrainCommand
{
    public static int Run(CommandLine commandLine)
    {
        var data = commandLine.Require("data");
        var output = commandLine.Require("out");
        var trainer = commandLine.Get("trainer") is { } name ? Enum.Parse<PromptTrainerKind>(name, ignoreCase: true) : PromptModelTrainer.DefaultTrainer;
        var weight = commandLine.Get("embedding-weight") is { } w ? double.Parse(w, CultureInfo.InvariantCulture) : PromptModelBundle.DefaultEmbeddingWeight;
        var prompts = LabelledPromptFile.Read(data);
        var stopwatch = Stopwatch.StartNew();
        var ml = new MLContext(seed: PromptModelTrainer.Seed);
        // Training embeds every prompt in batches, where more than one thread per run pays off.
        var kind = commandLine.Get("embedding") ?? EmbeddingKinds.Static;
        using IPromptEmbedder? embedder = commandLine.Has("no-encoder") ? null
            : kind == EmbeddingKinds.Static ? StaticPromptEmbedder.LoadShipped()
            : kind == EmbeddingKinds.Transformer ? new PromptEmbedder(intraOpThreads: Environment.ProcessorCount)
            : throw new ArgumentException($"--embedding must be {EmbeddingKinds.Static} or {EmbeddingKinds.Transformer} (was '{kind}').");
        // The follow-up detector trains on followups.txt beside the training file, when there is one.
        var followUpsPath = FollowUpDetector.PathBeside(data);
        var followUps = File.Exists(followUpsPath) ? FollowUpDetector.ReadFollowUps(followUpsPath) : null;
        // The turns of the conversation sets the rule was developed on join the prompts and fragments, except those that nearly
        // repeat a prompt of the sets that measure the models (--keep-out).
        var conversationFiles = commandLine.GetAll("conversations");
        if (conversationFiles.Count > 0)
        {
            var measuredOn = commandLine.GetAll("keep-out").SelectMany(LabelledPromptFile.Read).Select(p => p.Message);
            (prompts, var withTurns, var turns) = ConversationTrainingTurns.Assemble(prompts, followUps ?? [], conversationFiles, measuredOn);
            followUps = withTurns;
            Console.WriteLine($"{turns.Prompts.Count} prompts and {turns.FollowUps.Count} follow-ups from {conversationFiles.Count} conversation sets; {turns.LeftOut} turns left out");
        }

        var bundle = PromptModelBundle.Train(ml, prompts, embedder, trainer, weight, followUps);
        var calibration = commandLine.GetAll("calibrate-on").SelectMany(LabelledPromptFile.Read).ToList();
        if (calibration.Count > 0)
        {
            bundle = bundle.CalibratedOn(ml, calibration, embedder);
        }

        bundle.Save(ml, output);
        var m = bundle.Manifest;
        Console.WriteLine($"trained {trainer} on {prompts.Count} prompts from {data} in {stopwatch.ElapsedMilliseconds} ms; wrote {output}, "
            + $"{(bundle.Hybrid is null ? "no encoder tier" : ModelManifest.HybridPathFor(output))} and {ModelManifest.PathFor(output)}");
        Console.WriteLine($"temperatures: n-grams {m.NgramTemperature}, n-grams+embedding {m.HybridTemperature}; embedding {m.EmbeddingKind}, weight {m.EmbeddingWeight}; follow-up detector on {m.FollowUps} follow-ups; "
            + (m.CalibrationPrompts > 0 ? $"temperatures fitted on {m.CalibrationPrompts} held-out prompts" : "temperatures fitted on out-of-fold predictions"));
        foreach (var group in prompts.GroupBy(p => p.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {group.Key,-20} {group.Count(),5}");
        }

        return 0;
    }
}
