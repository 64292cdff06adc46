using Microsoft.Extensions.Options;

namespace Router.Classifier;

/// <summary>Rejects a bad classifier configuration at start-up, naming the setting at fault.</summary>
public sealed class ClassifierModelOptionsValidator : IValidateOptions<ClassifierModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ClassifierModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var routing = options.Routing;
        if (routing is null)
        {
            return ValidateOptionsResult.Fail("Classifier:Routing must be set.");
        }

        if (string.IsNullOrWhiteSpace(routing.DefaultModel))
        {
            failures.Add("Classifier:Routing:DefaultModel must not be empty.");
        }

        if (double.IsNaN(routing.ConfidenceThreshold) || routing.ConfidenceThreshold < 0 || routing.ConfidenceThreshold > 1)
        {
            failures.Add($"Classifier:Routing:ConfidenceThreshold must be between 0 and 1 (was {routing.ConfidenceThreshold}).");
        }

        foreach (var (category, model) in routing.Routes ?? [])
        {
            if (!PromptCategories.IsKnown(category))
            {
                failures.Add($"Classifier:Routing:Routes:{category} names an unknown category; known: {string.Join(", ", PromptCategories.All)}.");
            }

            if (string.IsNullOrWhiteSpace(model))
            {
                failures.Add($"Classifier:Routing:Routes:{category} must name a model.");
            }
        }

        if (options.Encoder is null)
        {
            failures.Add("Classifier:Encoder must be set.");
        }
        else if (double.IsNaN(options.Encoder.EscalateBelow) || options.Encoder.EscalateBelow < 0 || options.Encoder.EscalateBelow > 1)
        {
            failures.Add($"Classifier:Encoder:EscalateBelow must be between 0 and 1 (was {options.Encoder.EscalateBelow}).");
        }

        if (!string.IsNullOrWhiteSpace(options.TrainingDataPath) && !File.Exists(options.TrainingDataPath))
        {
            failures.Add($"Classifier:TrainingDataPath '{options.TrainingDataPath}' does not exist.");
        }
        else if (string.IsNullOrWhiteSpace(options.TrainingDataPath)
            && !string.IsNullOrWhiteSpace(options.ModelPath) && !File.Exists(options.ModelPath))
        {
            failures.Add($"Classifier:ModelPath '{options.ModelPath}' does not exist (set Classifier:TrainingDataPath to train and write it).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
