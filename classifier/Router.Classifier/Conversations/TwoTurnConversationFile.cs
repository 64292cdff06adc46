using Router.Classifier.Data;

namespace Router.Classifier.Conversations;

/// <summary>A first user turn and a second one, and whether the second follows up on the first or changes the topic.</summary>
public sealed record TwoTurnConversation(string First, string FirstCategory, string Second, string ExpectedCategory, bool IsFollowUp);

/// <summary>
/// Reads <c>first&lt;TAB&gt;category&lt;TAB&gt;second&lt;TAB&gt;expected category&lt;TAB&gt;follow-up|topic-change</c>
/// lines, with the escapes of <see cref="LabelledPromptFile"/>. For a follow-up the expected category is the first turn's.
/// </summary>
public static class TwoTurnConversationFile
{
    public const string FollowUp = "follow-up";
    public const string TopicChange = "topic-change";

    public static IReadOnlyList<TwoTurnConversation> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var result = new List<TwoTurnConversation>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != 5 || !PromptCategories.IsKnown(fields[1]) || !PromptCategories.IsKnown(fields[3])
                || fields[4] is not (FollowUp or TopicChange))
            {
                throw new InvalidDataException($"{path}:{number}: expected first, category, second, expected category and {FollowUp}|{TopicChange}, tab-separated.");
            }

            result.Add(new TwoTurnConversation(LabelledPromptFile.Unescape(fields[0]), fields[1], LabelledPromptFile.Unescape(fields[2]),
                fields[3], fields[4] == FollowUp));
        }

        return result;
    }
}

/// <summary>How <see cref="ConversationRouting"/> did on a set of two-turn conversations.</summary>
/// <param name="FollowUpsStay">Share of follow-ups whose second turn stayed on the first turn's category.</param>
/// <param name="TopicChangesMove">Share of topic changes whose second turn went to its own category.</param>
/// <param name="ModelAccuracy">Share of second turns routed to the model of their expected category.</param>
/// <param name="CrossModelChangesMove">Share of the topic changes whose category routes to another model than the first turn's
/// that reached that model (the move a user feels; a change between two categories of one model moves nothing).</param>
public sealed record ConversationReport(double FollowUpsStay, double TopicChangesMove, double ModelAccuracy, IReadOnlyList<string> Misses,
    double CrossModelChangesMove = 0);

/// <summary>Runs both turns of each conversation through the classifier and <see cref="ConversationRouting"/>.</summary>
public static class ConversationEvaluator
{
    public static ConversationReport Evaluate(PromptCategoryModel model, IReadOnlyList<TwoTurnConversation> conversations, ConversationSwitch? rule = null,
        bool stripOpeners = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(conversations);
        int followUps = 0, stayed = 0, changes = 0, moved = 0, rightModel = 0, crossModel = 0, crossModelMoved = 0;
        var misses = new List<string>();
        foreach (var c in conversations)
        {
            // The first turn's true category stands for where the conversation is, so that a first-turn miss of the
            // classifier does not count against the rule being measured.
            var state = new ConversationState(model.Routing.Choose(c.FirstCategory, 1), c.FirstCategory);
            var announces = false;
            var second = stripOpeners ? ConversationRouting.ReadInConversation(c.Second, model.Classify, out announces) : model.Classify(c.Second);
            if (!stripOpeners) announces = TopicChangeOpeners.Opens(c.Second); // read once: ReadInConversation already tells
            var followUp = model.FollowUps?.Probability(c.Second) ?? ConversationRouting.WithoutDetector;
            var decision = ConversationRouting.Decide(state, c.Second, second, followUp, announces, rule);
            var right = decision.Category == c.ExpectedCategory;
            var expectedModel = model.Routing.Choose(c.ExpectedCategory, 1);
            rightModel += decision.Model == expectedModel ? 1 : 0;
            if (!c.IsFollowUp && expectedModel != state.Model)
            {
                crossModel++;
                crossModelMoved += decision.Model == expectedModel ? 1 : 0;
            }

            if (c.IsFollowUp)
            {
                followUps++;
                stayed += right ? 1 : 0;
            }
            else
            {
                changes++;
                moved += right ? 1 : 0;
            }

            if (!right)
            {
                var change = second.Category == c.FirstCategory || double.IsNaN(followUp) ? ""
                    : $" change {ConversationRouting.Switch(rule).Probability(c.Second, c.FirstCategory, second, followUp, announces):F2}";
                misses.Add($"{(c.IsFollowUp ? "follow-up" : "change")} {c.FirstCategory} → {second.Category} {second.Confidence:F2} follow-up {followUp:F2}{change} (expected {c.ExpectedCategory}): {c.Second}");
            }
        }

        return new ConversationReport(
            followUps == 0 ? 0 : stayed / (double)followUps,
            changes == 0 ? 0 : moved / (double)changes,
            conversations.Count == 0 ? 0 : rightModel / (double)conversations.Count,
            misses,
            crossModel == 0 ? 0 : crossModelMoved / (double)crossModel);
    }
}
