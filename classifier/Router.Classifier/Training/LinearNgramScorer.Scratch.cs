namespace Router.Classifier.Training;

/// <summary>The scorer's per-thread buffers.</summary>
internal sealed partial class LinearNgramScorer
{
    /// <summary>
    /// Per-thread buffers, so a call allocates nothing once a thread has scored a prompt; they also keep the slots of the
    /// last text scored. The slots are a function of the dictionaries and the text alone, so a tier sharing this one's
    /// dictionaries (<see cref="Share"/>) that scores the same string next — the second tier after the first, for a
    /// prompt that escalates — reuses them instead of looking every n-gram up again.
    /// </summary>
    private sealed class Scratch
    {
        private int[] _counts = [];
        private char[] _pair = new char[256];
        private object? _dictionaries;
        private string? _text;

        public List<int> CharHits { get; } = new(1024);

        public List<int> WordHits { get; } = new(512);

        /// <summary>True when the hits are those of this very string under these dictionaries.</summary>
        public bool Holds(object dictionaries, string text) => ReferenceEquals(_dictionaries, dictionaries) && ReferenceEquals(_text, text);

        public void Forget() => (_dictionaries, _text) = (null, null);

        public void Remember(object dictionaries, string text) => (_dictionaries, _text) = (dictionaries, text);

        public int[] Counts(int slots)
        {
            if (_counts.Length < slots)
            {
                _counts = new int[slots];
            }

            return _counts;
        }

        public Span<char> Pair(int length)
        {
            if (_pair.Length < length)
            {
                _pair = new char[Math.Max(length, _pair.Length * 2)];
            }

            return _pair;
        }
    }
}
