namespace Router.Grains.Generation;

/// <summary>
/// Applies a request's stop sequences to the answer's text as it streams. The backends end at a stop
/// sequence without saying which one (Ollama and OpenAI both report a plain <c>stop</c> and drop
/// the sequence), and Anthropic's API must name it, so the router matches them itself instead of
/// passing them on: text that could be the start of a sequence is held back until the next text
/// decides; at a match, the text before it is what remains, and the generation ends there.
/// </summary>
internal sealed class StopSequenceMatcher
{
    private readonly string[] _sequences;
    private readonly int _longest;
    private string _held = "";

    public StopSequenceMatcher(IReadOnlyList<string> sequences)
    {
        _sequences = [.. sequences.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)];
        _longest = _sequences.Length == 0 ? 0 : _sequences.Max(s => s.Length);
    }

    /// <summary>The sequence that ended the answer; null while none has matched.</summary>
    public string? Matched { get; private set; }

    /// <summary>
    /// The text that can go out now, given the backend's next <paramref name="text"/>: everything
    /// but a tail that may still become a sequence, or, once one matched, the text before it.
    /// </summary>
    public string Push(string text)
    {
        if (Matched is not null) return "";
        var combined = _held.Length == 0 ? text : _held + text;
        var at = -1;
        foreach (var sequence in _sequences)
        {
            var found = combined.IndexOf(sequence, StringComparison.Ordinal);
            if (found >= 0 && (at < 0 || found < at))
            {
                at = found;
                Matched = sequence;
            }
        }

        if (at >= 0)
        {
            _held = "";
            return combined[..at];
        }

        var keep = HeldTail(combined);
        _held = combined[^keep..];
        return combined[..^keep];
    }

    /// <summary>The held-back text, at the answer's end or before a part that is not text (the match cannot span it).</summary>
    public string Flush()
    {
        var held = _held;
        _held = "";
        return held;
    }

    /// <summary>The length of the longest tail of <paramref name="text"/> that begins some sequence (and is not one whole).</summary>
    private int HeldTail(string text)
    {
        for (var length = Math.Min(text.Length, _longest - 1); length > 0; length--)
        {
            var tail = text.AsSpan(text.Length - length);
            foreach (var sequence in _sequences)
            {
                if (sequence.Length > length && sequence.AsSpan().StartsWith(tail, StringComparison.Ordinal)) return length;
            }
        }

        return 0;
    }
}
