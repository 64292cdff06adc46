namespace Router.Classifier.Conversations;

/// <summary>Where a conversation stands: the model and category its last user turn was routed to.</summary>
/// <param name="Model">The model the conversation is on.</param>
/// <param name="Category">The category that put it there; null when a classifier gave none (a fallback).</param>
public sealed record ConversationState(string Model, string? Category);

/// <summary>The routing decision for a message of a conversation.</summary>
/// <param name="Model">The model to answer.</param>
/// <param name="Category">The category the decision stands on: the conversation's when it stayed, the message's otherwise.</param>
/// <param name="Confidence">The message's own calibrated confidence in its own category.</param>
/// <param name="Sticky">True when the conversation's model was kept although the message alone would have gone elsewhere.</param>
public sealed record ConversationDecision(string Model, string? Category, double Confidence, bool Sticky);

/// <summary>
/// The rule that keeps a conversation on one model. A message is classified alone; one of its conversation's category
/// takes its own decision. One of another category moves when <see cref="ConversationSwitch"/> gives it at least its
/// <see cref="ConversationSwitch.MoveAbove"/> of being a real change of topic, weighing the message's confidence in its own
/// category and in the conversation's, the follow-up detector's probability (<see cref="FollowUpDetector"/>), an announced
/// change of topic (<see cref="TopicChangeOpeners"/>, read without the announcement too: <see cref="ReadInConversation"/>),
/// the message's length and whether it leans on the previous turn; otherwise it stays. Without a follow-up detector (the
/// classifier service has none) a message moves when it announces a change of topic or is at least
/// <see cref="WithoutDetectorSwitchAbove"/> sure of its category. Follow-ups ("and in Rust?", "make it
/// shorter", "why?") stay; a real change of topic brings its own words and moves. A pure function of its inputs, so the
/// same history always gives the same model, whether the server keeps the conversation (a session) or the client sends it
/// with each request.
/// </summary>
public static class ConversationRouting
{
    /// <summary>
    /// The follow-up probability under which the switch also weighs the message's own confidence alone (one of its features):
    /// the bound the hand-set rule of the first eleven rounds held messages back at (classifier/README.md, "Conversations").
    /// </summary>
    public const double FollowUpAbove = 0.25;

    /// <summary>
    /// The follow-up probability to give the rule when there is no follow-up detector (the classifier service has none). The
    /// switch was fitted on the detector's readings and cannot weigh a message without one, so the rule then moves a message
    /// only when it announces a change of topic or the classifier is at least <see cref="WithoutDetectorSwitchAbove"/> sure of it.
    /// </summary>
    public const double WithoutDetector = double.NaN;

    /// <summary>
    /// The confidence a message needs in another category to move when there is no follow-up detector: the single bound the
    /// rule started from, chosen on half of <c>classifier/data/conversations.tsv</c> (classifier/README.md, "Conversations").
    /// </summary>
    public const double WithoutDetectorSwitchAbove = 0.9;

    /// <summary>Decides the model for <paramref name="message"/> given where its conversation stands (null: a first turn).</summary>
    /// <param name="text">The message's text, whose length and opening words the switch weighs.</param>
    /// <param name="followUpProbability">The follow-up detector's answer for the message; <see cref="WithoutDetector"/> when there is none.</param>
    /// <param name="announcesNewTopic">The message opens by saying the topic changes (<see cref="TopicChangeOpeners"/>).</param>
    /// <param name="rule">The switch to weigh with; the shipped one (<see cref="ConversationSwitch.Shipped"/>) when null.</param>
    public static ConversationDecision Decide(ConversationState? conversation, string text, PromptClassification message, double followUpProbability,
        bool announcesNewTopic = false, ConversationSwitch? rule = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(message);
        if (conversation is null
            || message.Category == conversation.Category
            || (double.IsNaN(followUpProbability)
                ? announcesNewTopic || message.Confidence >= WithoutDetectorSwitchAbove
                : Switch(rule).Moves(text, conversation.Category, message, followUpProbability, announcesNewTopic)))
        {
            return new ConversationDecision(message.Model, message.Category, message.Confidence, Sticky: false);
        }

        return new ConversationDecision(conversation.Model, conversation.Category, message.Confidence,
            Sticky: conversation.Model != message.Model || conversation.Category != message.Category);
    }

    /// <summary><paramref name="rule"/>, or the shipped switch; a build without one cannot route conversations.</summary>
    public static ConversationSwitch Switch(ConversationSwitch? rule) =>
        rule ?? ConversationSwitch.Shipped ?? throw new InvalidOperationException("the library was built without Model/model.switch.json");

    /// <summary>
    /// The classification a later message of a conversation is weighed by. A message that opens by announcing a change of
    /// topic (<see cref="TopicChangeOpeners.TryStrip"/>) is read twice, as it is and without the announcement, and the more
    /// confident reading counts: the announcement is not content, and it sometimes pulls the message towards conversation or
    /// knowledge, while the models also learned from requests that open that way. Any other message is read as it is.
    /// </summary>
    /// <param name="announcesNewTopic">Whether the message opens by announcing a change of topic.</param>
    public static PromptClassification ReadInConversation(string message, Func<string, PromptClassification> classify, out bool announcesNewTopic)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(classify);
        var whole = classify(message);
        announcesNewTopic = TopicChangeOpeners.TryStrip(message, out var content);
        if (!announcesNewTopic || content == message) return whole;
        var withoutOpener = classify(content);
        return withoutOpener.Confidence > whole.Confidence ? withoutOpener : whole;
    }

    /// <summary>
    /// Replays a conversation's user turns, oldest first, through <see cref="Decide"/> and returns the decision for
    /// the last one. The surfaces whose clients send the whole history use this, so their decision depends on the
    /// request alone. Only the last <paramref name="maxTurns"/> user turns are read: a conversation's older turns
    /// seldom matter once it has settled, and each turn costs a classification.
    /// </summary>
    /// <param name="followUpProbability">The follow-up detector; a first turn is never asked.</param>
    /// <param name="rule">The switch to weigh with; the shipped one when null.</param>
    public static ConversationDecision DecideLast(IReadOnlyList<string> userTurns, Func<string, PromptClassification> classify,
        Func<string, double> followUpProbability, int maxTurns = 4, ConversationSwitch? rule = null)
    {
        ArgumentNullException.ThrowIfNull(userTurns);
        ArgumentNullException.ThrowIfNull(classify);
        ArgumentNullException.ThrowIfNull(followUpProbability);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTurns, 1);
        if (userTurns.Count == 0)
        {
            throw new ArgumentException("A conversation needs at least one user turn.", nameof(userTurns));
        }

        ConversationState? state = null;
        ConversationDecision? decision = null;
        for (var i = Math.Max(0, userTurns.Count - maxTurns); i < userTurns.Count; i++)
        {
            var turn = userTurns[i];
            var announces = false;
            var message = state is null ? classify(turn) : ReadInConversation(turn, classify, out announces);
            var weigh = state is not null && message.Category != state.Category;
            var followUp = weigh ? followUpProbability(turn) : 0;
            decision = Decide(state, turn, message, followUp, weigh && announces, rule);
            state = new ConversationState(decision.Model, decision.Category);
        }

        return decision!;
    }
}
