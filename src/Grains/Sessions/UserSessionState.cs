using Router.Grains.Interfaces;

namespace Router.Grains.Sessions;

/// <summary>
/// The persisted part of a user's session, stored by its alias and field ids (the hosting project's <c>RouterStateSerializer</c>):
/// never renumber an <c>[Id]</c>; state stored before in the default JSON shape still reads.
/// </summary>
[GenerateSerializer, Alias("router.user-session-state.v1")]
public sealed class UserSessionState
{
    /// <summary>The most recent finished turns, oldest first.</summary>
    [Id(0)] public List<ConversationTurn> Turns { get; set; } = [];

    [Id(1)] public long Requests { get; set; }

    [Id(2)] public long Completed { get; set; }

    [Id(3)] public long Failed { get; set; }

    [Id(4)] public long PromptTokens { get; set; }

    [Id(5)] public long OutputTokens { get; set; }

    /// <summary>Ids of the latest recorded outcomes, newest last: a repeated report is recognised.</summary>
    [Id(6)] public List<Guid> RecentOutcomes { get; set; } = [];
}
