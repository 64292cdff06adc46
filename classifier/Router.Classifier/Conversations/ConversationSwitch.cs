using System.Text.Json;

namespace Router.Classifier.Conversations;

/// <summary>
/// The learned part of <see cref="ConversationRouting"/>: the probability that a message whose own category differs from its
/// conversation's is a real change of topic rather than a follow-up the classifier misreads. A logistic regression over
/// what the rule already weighs — the message's confidence in its own category and in the conversation's, the follow-up
/// detector's probability, an announced change of topic, the message's length, whether it opens by leaning on the previous
/// turn, and which categories are involved — fitted by <c>router-classifier fit-switch</c> on the two-turn conversation sets
/// the rule was developed on, each read by a model that was not trained on its turns (classifier/README.md, "Twelfth round").
/// The message moves when the probability is at least <see cref="MoveAbove"/>.
/// </summary>
/// <param name="Weights">One weight per feature (<see cref="FeatureCount"/>), the intercept first.</param>
/// <param name="MoveAbove">Probability of a change of topic at or above which the message moves.</param>
public sealed record ConversationSwitch(IReadOnlyList<double> Weights, double MoveAbove)
{
    private const string Resource = "Router.Classifier.model.switch.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private static readonly Lazy<ConversationSwitch?> ShippedModel = new(LoadShipped);

    /// <summary>The number of features: intercept, eight about the message, and one indicator per category twice.</summary>
    public static int FeatureCount { get; } = 9 + 2 * PromptCategories.All.Count;

    /// <summary>The switch shipped inside the library (<c>Model/model.switch.json</c>); null when the build has none.</summary>
    public static ConversationSwitch? Shipped => ShippedModel.Value;

    /// <summary>The probability that <paramref name="message"/> changes the topic of a conversation in <paramref name="conversationCategory"/>.</summary>
    public double Probability(string message, string? conversationCategory, PromptClassification reading, double followUpProbability, bool announcesNewTopic)
    {
        Span<double> features = stackalloc double[FeatureCount];
        Features(message, conversationCategory, reading, followUpProbability, announcesNewTopic, features);
        return Probability(Weights, features);
    }

    /// <summary>Whether the message moves (<see cref="Probability(string, string?, PromptClassification, double, bool)"/> ≥ <see cref="MoveAbove"/>).</summary>
    public bool Moves(string message, string? conversationCategory, PromptClassification reading, double followUpProbability, bool announcesNewTopic) =>
        Probability(message, conversationCategory, reading, followUpProbability, announcesNewTopic) >= MoveAbove;

    /// <summary>The logistic function of the weighted features.</summary>
    public static double Probability(IReadOnlyList<double> weights, ReadOnlySpan<double> features)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var z = 0.0;
        for (var i = 0; i < features.Length; i++) z += weights[i] * features[i];
        return 1 / (1 + Math.Exp(-Math.Clamp(z, -30, 30)));
    }

    /// <summary>
    /// Writes the features into <paramref name="into"/> (<see cref="FeatureCount"/> long). Probabilities enter as log-odds,
    /// so a confidence of 0.99 and one of 0.999 differ as much as they do in evidence.
    /// </summary>
    public static void Features(string message, string? conversationCategory, PromptClassification reading, double followUpProbability,
        bool announcesNewTopic, Span<double> into)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reading);
        if (into.Length != FeatureCount) throw new ArgumentException($"expected {FeatureCount} features", nameof(into));
        into.Clear();
        var words = SelfContainedMessages.Words(message);
        var leans = SelfContainedMessages.LeansOnPrevious(message);
        var own = LogOdds(reading.Confidence);
        into[0] = 1;
        into[1] = LogOdds(conversationCategory is not null && reading.Scores.TryGetValue(conversationCategory, out var p) ? p : 0);
        into[2] = own;
        into[3] = LogOdds(followUpProbability);
        into[4] = announcesNewTopic ? 1 : 0;
        into[5] = words >= SelfContainedMessages.MinWords && !leans ? 1 : 0;
        into[6] = Math.Log(1 + words);
        into[7] = leans ? 1 : 0;
        into[8] = followUpProbability < ConversationRouting.FollowUpAbove ? own : 0;
        for (var i = 0; i < PromptCategories.All.Count; i++)
        {
            into[9 + i] = PromptCategories.All[i] == conversationCategory ? 1 : 0;
            into[9 + PromptCategories.All.Count + i] = PromptCategories.All[i] == reading.Category ? 1 : 0;
        }
    }

    /// <summary>Writes the switch as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads a switch written by <see cref="Save"/>; throws when its feature count is not this build's.</summary>
    public static ConversationSwitch Load(Stream stream)
    {
        var model = JsonSerializer.Deserialize<ConversationSwitch>(stream, Json) ?? throw new InvalidDataException("empty conversation switch");
        if (model.Weights.Count != FeatureCount)
        {
            throw new InvalidDataException($"the conversation switch has {model.Weights.Count} weights; this build reads {FeatureCount}");
        }

        return model;
    }

    private static ConversationSwitch? LoadShipped()
    {
        using var stream = typeof(ConversationSwitch).Assembly.GetManifestResourceStream(Resource);
        return stream is null ? null : Load(stream);
    }

    private static double LogOdds(double p)
    {
        p = Math.Clamp(p, 1e-6, 1 - 1e-6);
        return Math.Log(p / (1 - p));
    }
}
