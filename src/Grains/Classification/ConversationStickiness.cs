using Router.Classifier;
using Router.Classifier.Conversations;
using Router.Grains.Interfaces;

namespace Router.Grains.Classification;

/// <summary>
/// Keeps a conversation on its model (<see cref="ConversationRouting"/>): the earlier user turns are
/// classified (from the cache, as each was when it was new) and replayed through the rule, so the
/// decision is a function of the conversation alone — the same for a session's own history as for
/// the history a client sends, and for <c>/v1/route</c> as for the request itself. A message that announces a change of
/// topic may move on its reading without the announcement, which is then the decision's category and confidence.
/// </summary>
internal static class ConversationStickiness
{
    public static async Task<ClassifierDecision> ApplyAsync(
        ClassifierDecision current, string message, IReadOnlyList<string> earlier, ClassificationCache cache, CancellationToken cancellationToken)
    {
        if (current.Category is null || current.Confidence is null) return current; // a fallback decision: nothing to weigh
        var turns = earlier.Skip(Math.Max(0, earlier.Count - RouteQuery.MaxEarlierTurns)).Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        if (turns.Count == 0) return current;

        var known = new Dictionary<string, PromptClassification>(StringComparer.Ordinal)
        {
            [message] = new(current.Model, current.Category, current.Confidence.Value, current.Scores ?? new Dictionary<string, double>()),
        };
        foreach (var turn in turns)
        {
            if (known.ContainsKey(turn)) continue;
            var (route, _) = await cache.GetAsync(turn, cancellationToken);
            if (route.Category is null || route.Confidence is null) return current;
            known[turn] = Classification(route);
        }

        // A later turn that announces a change of topic is read without the announcement too (ConversationRouting.
        // ReadInConversation); the first turn of the replay never is. The cache keys that reading by the text it read.
        var reading = current;
        foreach (var turn in turns.Skip(1).Append(message))
        {
            // The new message's reading is looked up even when it repeats an earlier turn: its confidence may still win.
            if (!TopicChangeOpeners.TryStrip(turn, out var content) || content == turn || (turn != message && known.ContainsKey(content))) continue;
            var (route, _) = await cache.GetAsync(content, cancellationToken);
            if (route.Category is null || route.Confidence is null) return current;
            known[content] = Classification(route);
            if (turn == message && route.Confidence > current.Confidence)
            {
                reading = current with { Model = route.Model, Category = route.Category, Confidence = route.Confidence, Scores = route.Scores, Tier = route.Tier };
            }
        }

        turns.Add(message);
        // The follow-up detector (an embedding and a linear model) is asked only for a turn whose category differs from
        // where its conversation stands, as the rule needs it: most turns stay in their conversation's category, and
        // asking for every turn doubled a later turn's classification cost. Its answers are cached like classifications.
        var decision = ConversationRouting.DecideLast(turns, t => known[t], cache.FollowUpProbability, maxTurns: turns.Count);
        return decision.Sticky ? reading with { Model = decision.Model, Category = decision.Category, Sticky = true } : reading;
    }

    private static PromptClassification Classification(PromptRoute route) =>
        new(route.Model, route.Category!, route.Confidence!.Value, route.Scores ?? new Dictionary<string, double>());
}
