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
/// The rule that keeps a conversation on one model. A message is classified alone; it stays on the model its
/// conversation is on unless it is confidently of another category: its calibrated confidence in a category
/// other than the conversation's is at least <see cref="SwitchBound"/> — <see cref="DefaultSwitchAbove"/>, or
/// <see cref="SelfContainedSwitchAbove"/> for a message that looks self-contained and that the follow-up detector all but
/// rules out — (or it opens by announcing a change of topic, <see cref="TopicChangeOpeners"/>, when it is also read without the
/// announcement: <see cref="ReadInConversation"/>), and the follow-up detector gives it less than <see cref="FollowUpAbove"/>
/// of being a follow-up that leans on the conversation (less than <see cref="AnnouncedFollowUpAbove"/> for an announced change,
/// less than <see cref="CertainFollowUpAbove"/> for a message of <see cref="CertainAbove"/> confidence). Follow-ups ("and
/// in Rust?", "make it shorter", "why?") stay; a real change of topic brings its own words and moves. A pure function of its inputs, so the
/// same history always gives the same model, whether the server keeps the conversation (a session) or the
/// client sends it with each request.
/// </summary>
public static class ConversationRouting
{
    /// <summary>
    /// Calibrated confidence a message needs in a category other than its conversation's to move it. Chosen on half
    /// of <c>classifier/data/conversations.tsv</c> (see classifier/README.md, "Conversations").
    /// </summary>
    public const double DefaultSwitchAbove = 0.9;

    /// <summary>
    /// Probability of being a follow-up at or above which a message stays whatever its category. Below one half
    /// because the detector learns from far fewer follow-ups than self-contained prompts, which keeps its
    /// probabilities low. 0.25 was chosen with <see cref="DefaultSwitchAbove"/>; 0.3 when the detector's fragments
    /// grew to 460, on both development sets together; 0.25 again when the detector came to read the embedding too,
    /// on the four conversation sets together (classifier/README.md, "Conversations" and "Fifth round").
    /// </summary>
    public const double FollowUpAbove = 0.25;

    /// <summary>
    /// Follow-up probability at or above which a message that announces a change of topic (<see cref="TopicChangeOpeners"/>)
    /// still stays. Higher than <see cref="FollowUpAbove"/>: the user has said the topic changes, and the detector, reading
    /// the whole message, gives short announced questions ("by the way who was …", "Übrigens, wer hat …") 0.3–0.45 once it
    /// learned from 770 fragments (classifier/README.md, "Eighth round": 0.4–0.7 all gave the same figures on the seven
    /// development sets; 0.5 was taken from inside that range).
    /// </summary>
    public const double AnnouncedFollowUpAbove = 0.5;

    /// <summary>
    /// Confidence at or above which a message of another category moves while the follow-up detector gives it less than
    /// <see cref="CertainFollowUpAbove"/> (rather than <see cref="FollowUpAbove"/>). Once the detector learned from full-sentence
    /// follow-ups (1,084 fragments), it gave 0.25–0.4 to self-contained questions the classifier was all but certain of ("In
    /// what year did …", "17 squared?"); on the eight development sets 0.99 / 0.4 moved eight more changes of topic and two
    /// follow-ups, 0.97 / 0.4 eleven and four (classifier/README.md, "Ninth round").
    /// </summary>
    public const double CertainAbove = 0.99;

    /// <summary>Follow-up probability at or above which even a message of <see cref="CertainAbove"/> confidence stays.</summary>
    public const double CertainFollowUpAbove = 0.4;

    /// <summary>
    /// The switch bound for a message that looks self-contained (<see cref="SelfContainedMessages"/>) and that the follow-up
    /// detector gives less than <see cref="SelfContainedFollowUpBelow"/>. Such messages are rarely follow-ups, and changes of
    /// topic of that kind were the main loss under the single 0.9 bound (classifier/README.md, "Sixth round": 0.7; "Seventh
    /// round": 0.6, chosen on the first five conversation sets).
    /// </summary>
    public const double SelfContainedSwitchAbove = 0.6;

    /// <summary>Follow-up probability under which a self-contained-looking message gets <see cref="SelfContainedSwitchAbove"/>.</summary>
    public const double SelfContainedFollowUpBelow = 0.003;

    /// <summary>
    /// The follow-up probability to give the rule when there is no follow-up detector (the classifier service has none): it
    /// holds no message back (it is under <see cref="FollowUpAbove"/>) and vouches for none (it is not under
    /// <see cref="SelfContainedFollowUpBelow"/>), so only the 0.9 bound and announced changes of topic apply. Without a
    /// detector the lower bound would move follow-ups of six words or more at 0.7 (sixth round; on the five conversation sets, follow-ups
    /// staying fell from 79–88 % to 72–80 %).
    /// </summary>
    public const double WithoutDetector = SelfContainedFollowUpBelow;

    /// <summary>
    /// The confidence <paramref name="message"/> needs in another category to move: <paramref name="selfContainedAbove"/> when
    /// the follow-up detector gives it less than <see cref="SelfContainedFollowUpBelow"/> and it looks self-contained
    /// (<see cref="SelfContainedMessages.Looks"/>), <paramref name="switchAbove"/> otherwise (whichever is lower).
    /// </summary>
    public static double SwitchBound(string message, double followUpProbability, double switchAbove = DefaultSwitchAbove,
        double selfContainedAbove = SelfContainedSwitchAbove) =>
        followUpProbability < SelfContainedFollowUpBelow && SelfContainedMessages.Looks(message)
            ? Math.Min(switchAbove, selfContainedAbove)
            : switchAbove;

    /// <summary>Decides the model for <paramref name="message"/> given where its conversation stands (null: a first turn).</summary>
    /// <param name="followUpProbability">The follow-up detector's answer for the message; <see cref="WithoutDetector"/> when there is none.</param>
    /// <param name="announcesNewTopic">The message opens by saying the topic changes (<see cref="TopicChangeOpeners"/>):
    /// it then moves whatever its confidence, unless the follow-up detector still gives it <see cref="AnnouncedFollowUpAbove"/> or more
    /// (or <paramref name="followUpAbove"/>, whichever is higher).</param>
    /// <param name="followUpAbove">Follow-up probability at or above which the message stays (<see cref="FollowUpAbove"/>); an
    /// announced change of topic and a message of <see cref="CertainAbove"/> confidence stay only at the higher of this and
    /// <see cref="AnnouncedFollowUpAbove"/> or <see cref="CertainFollowUpAbove"/>, whatever <paramref name="switchAbove"/> is.</param>
    public static ConversationDecision Decide(ConversationState? conversation, PromptClassification message, double followUpProbability,
        double switchAbove = DefaultSwitchAbove, bool announcesNewTopic = false, double followUpAbove = FollowUpAbove)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (conversation is null
            || message.Category == conversation.Category
            || (message.Confidence >= switchAbove && followUpProbability < followUpAbove)
            || (message.Confidence >= CertainAbove && followUpProbability < Math.Max(followUpAbove, CertainFollowUpAbove))
            || (announcesNewTopic && followUpProbability < Math.Max(followUpAbove, AnnouncedFollowUpAbove)))
        {
            return new ConversationDecision(message.Model, message.Category, message.Confidence, Sticky: false);
        }

        return new ConversationDecision(conversation.Model, conversation.Category, message.Confidence,
            Sticky: conversation.Model != message.Model || conversation.Category != message.Category);
    }

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
    public static ConversationDecision DecideLast(IReadOnlyList<string> userTurns, Func<string, PromptClassification> classify,
        Func<string, double> followUpProbability, double switchAbove = DefaultSwitchAbove, int maxTurns = 4)
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
            decision = Decide(state, message, followUp, weigh ? SwitchBound(turn, followUp, switchAbove) : switchAbove, weigh && announces);
            state = new ConversationState(decision.Model, decision.Category);
        }

        return decision!;
    }
}
