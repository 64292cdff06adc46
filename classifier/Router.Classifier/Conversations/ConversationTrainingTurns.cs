using Router.Classifier.Data;

namespace Router.Classifier.Conversations;

/// <summary>
/// The turns of the two-turn conversation sets the conversation rule was developed on, as training data (issue 25's
/// twelfth round): first turns and the second turns of changes of topic are labelled prompts in the voice the rule meets
/// (short, chatty, after thanks, in seven languages), and second turns of follow-ups are follow-up fragments. A turn is
/// left out when it nearly duplicates (<see cref="NearDuplicates"/>) a prompt of a set that measures the models, so those
/// stay clean; when it repeats a prompt or fragment already taken; and when it holds a character outside the Basic
/// Multilingual Plane (an emoji), whose character n-grams ML.NET names in a way <c>LinearNgramScorer</c> cannot read back.
/// </summary>
/// <param name="Prompts">Labelled prompts to train the category model on, beside the training file's.</param>
/// <param name="FollowUps">Fragments to train the follow-up detector on, beside <c>followups.txt</c>.</param>
/// <param name="LeftOut">How many turns were left out.</param>
public sealed record ConversationTrainingTurns(IReadOnlyList<LabelledPrompt> Prompts, IReadOnlyList<string> FollowUps, int LeftOut)
{
    /// <summary>Takes the turns of <paramref name="conversations"/> that <paramref name="measuredOn"/> and <paramref name="known"/> allow.</summary>
    /// <param name="measuredOn">The prompts of the sets that measure the models (held-out, outside, challenge, validation).</param>
    /// <param name="known">Prompts and fragments already trained on; a turn that repeats one is not taken twice.</param>
    public static ConversationTrainingTurns From(IEnumerable<TwoTurnConversation> conversations, IEnumerable<string> measuredOn, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        var guard = new NearDuplicates(measuredOn);
        var taken = new HashSet<string>(known.Select(DatasetSplitter.DuplicateKey), StringComparer.Ordinal);
        var prompts = new List<LabelledPrompt>();
        var followUps = new List<string>();
        var leftOut = 0;
        foreach (var c in conversations)
        {
            Take(c.First, c.FirstCategory, followUp: false);
            Take(c.Second, c.ExpectedCategory, c.IsFollowUp);
        }

        return new ConversationTrainingTurns(prompts, followUps, leftOut);

        void Take(string turn, string category, bool followUp)
        {
            if (turn.Any(char.IsSurrogate) || !taken.Add(DatasetSplitter.DuplicateKey(turn)) || guard.Of(turn).Any())
            {
                leftOut++;
                return;
            }

            if (followUp) followUps.Add(turn);
            else prompts.Add(new LabelledPrompt(turn, category));
        }
    }

    /// <summary>Reads <paramref name="conversationFiles"/> and takes their turns (<see cref="From"/>).</summary>
    public static ConversationTrainingTurns Read(IEnumerable<string> conversationFiles, IEnumerable<string> measuredOn, IEnumerable<string> known) =>
        From(conversationFiles.SelectMany(TwoTurnConversationFile.Read), measuredOn, known);

    /// <summary>
    /// What the models train on: <paramref name="prompts"/> and <paramref name="followUps"/> (the training file and
    /// <c>followups.txt</c>) followed by the turns of <paramref name="conversationFiles"/> they allow. <c>train
    /// --conversations</c> and the test of the shipped manifest both assemble it here, so they hash the same data.
    /// </summary>
    public static (IReadOnlyList<LabelledPrompt> Prompts, IReadOnlyList<string> FollowUps, ConversationTrainingTurns Turns) Assemble(
        IReadOnlyList<LabelledPrompt> prompts, IReadOnlyList<string> followUps, IEnumerable<string> conversationFiles, IEnumerable<string> measuredOn)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(followUps);
        var turns = Read(conversationFiles, measuredOn, prompts.Select(p => p.Message).Concat(followUps));
        return ([.. prompts, .. turns.Prompts], [.. followUps, .. turns.FollowUps], turns);
    }
}
