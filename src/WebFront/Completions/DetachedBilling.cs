using System.Diagnostics;
using Router.WebFront.Diagnostics;

namespace Router.WebFront.Completions;

/// <summary>
/// Bills a resumable answer whose client left and that nobody resumes. Its generation goes on for
/// <c>WebFront:ResumeGrace</c> and is then stopped, its end kept for the resume window; after the
/// grace the web front that detached it resumes it itself (only if it has ended: a client's live
/// resume is never taken over) and reads it to its end, which bills it on its key's lease and logs
/// it. Whoever settles the lease first bills it: when a client's resume did, this reader logs nothing.
/// Only answers under a key are billed so, since the key's grain is what tells the two readers apart.
/// </summary>
internal static class DetachedBilling
{
    /// <summary>Tries after the grace: a stopped generation takes a moment to leave the running set.</summary>
    private const int Attempts = 3;

    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    public static void Start(CompletionCore core, string userId, Guid requestId, int lastSequence) =>
        _ = Task.Run(() => BillAsync(core, userId, requestId, lastSequence));

    private static async Task BillAsync(CompletionCore core, string userId, Guid requestId, int lastSequence)
    {
        try
        {
            await Task.Delay(core.Options.ResumeGrace + Pause);
            for (var attempt = 1; attempt <= Attempts; attempt++)
            {
                var flow = new CompletionFlow(core, new CompletionCommand(userId, "", Resumable: true), Stopwatch.GetTimestamp(), CancellationToken.None);
                flow.BillOnly();
                if (await flow.ResumeAsync(requestId, lastSequence, finishedOnly: true))
                {
                    await using (flow)
                    {
                        while (!(await flow.NextAsync()).IsTerminal)
                        {
                        }
                    }

                    return;
                }

                await Task.Delay(Pause);
            }
        }
        catch (Exception ex)
        {
            // Not billed in the log; the key's hold is charged in full when it expires.
            WebFrontLog.CleanupFailed(core.Logger, ex, requestId);
        }
    }
}
