using Router.Classifier.Data;

namespace Router.Classifier.Evaluation;

/// <summary>Classifies every prompt of a labelled set and measures the answers.</summary>
public static class ClassifierEvaluator
{
    /// <param name="routing">The routing table that names each category's model, for the model-level figures; by default the model's own.</param>
    public static EvaluationReport Evaluate(IPromptCategoryModel model, IReadOnlyList<LabelledPrompt> prompts, RoutingTable? routing = null)
    {
        routing ??= (model as PromptCategoryModel)?.Routing;
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        var categories = PromptCategories.All;
        var index = categories.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var confusion = new int[categories.Count, categories.Count];
        var misses = new List<Misclassification>();
        var confidences = new List<double>(prompts.Count);
        var correct = new List<bool>(prompts.Count);
        var tiers = new List<string>(prompts.Count);
        var models = new List<string>(prompts.Count);
        var expectedModels = new List<string>(prompts.Count);
        foreach (var prompt in prompts)
        {
            var result = model.Classify(prompt.Message);
            confusion[index[prompt.Category], index[result.Category]]++;
            confidences.Add(result.Confidence);
            correct.Add(result.Category == prompt.Category);
            tiers.Add(result.Tier);
            models.Add(result.Model);
            expectedModels.Add(routing?.Choose(prompt.Category, 1) ?? string.Empty);
            if (result.Category != prompt.Category)
            {
                misses.Add(new Misclassification(prompt.Message, prompt.Category, result.Category, result.Confidence, result.Tier));
            }
        }

        var perCategory = new List<CategoryMetrics>(categories.Count);
        for (var c = 0; c < categories.Count; c++)
        {
            int truePositive = confusion[c, c], actual = 0, predicted = 0;
            for (var k = 0; k < categories.Count; k++)
            {
                actual += confusion[c, k];
                predicted += confusion[k, c];
            }

            var precision = predicted == 0 ? 0 : (double)truePositive / predicted;
            var recall = actual == 0 ? 0 : (double)truePositive / actual;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perCategory.Add(new CategoryMetrics(categories[c], actual, precision, recall, f1));
        }

        var present = perCategory.Where(m => m.Support > 0).ToList();
        var accuracy = prompts.Count == 0 ? 0 : (double)correct.Count(x => x) / prompts.Count;
        var macroF1 = present.Count == 0 ? 0 : present.Average(m => m.F1);
        return new EvaluationReport(prompts.Count, accuracy, macroF1, categories, perCategory, confusion, misses, confidences, correct, tiers,
            routing is null ? null : models, routing is null ? null : expectedModels);
    }
}
