using System.Globalization;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Complete;

/// <summary>Reads what a resume of <c>/complete</c> names: the last event the client has.</summary>
public static class ResumeRequestReader
{
    /// <summary>
    /// <c>Last-Event-ID</c> as a sequence number (-1 or more); -1 (everything from the start) when
    /// absent or empty, as EventSource sends none before its first event. False for anything else.
    /// </summary>
    public static bool TryReadLastEventId(HttpRequest request, out int after)
    {
        after = -1;
        var values = request.Headers["Last-Event-ID"];
        if (values.Count == 0) return true;
        if (values.Count > 1) return false;
        var value = values[0]?.Trim();
        if (string.IsNullOrEmpty(value)) return true;
        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out after) && after >= -1;
    }
}
