using System.Security.Cryptography;
using System.Text;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>The kinds of content block an answer is made of.</summary>
internal enum BlockKind
{
    Thinking,
    Text,
    ToolUse,
}

/// <summary>Where <see cref="AnswerBlocks"/> sends the blocks it cuts: the stream encoder, or the collector of a plain answer.</summary>
internal interface IBlockSink
{
    void Start(int index, BlockKind kind, string? id, string? name);

    void Delta(int index, BlockKind kind, string text);

    /// <summary>Ends a block; a thinking block's <paramref name="signature"/> comes with it.</summary>
    void Stop(int index, BlockKind kind, string? signature);
}

/// <summary>
/// Cuts an answer's chunks into Anthropic's content blocks, in the order they arrive: a block lasts
/// while the same kind of content goes on (a tool call: while pieces of the same call come), so
/// thinking, text and each tool call are blocks of their own, numbered from 0.
/// </summary>
internal sealed class AnswerBlocks(IBlockSink sink, bool omitThinking)
{
    private int _index = -1;
    private BlockKind? _open;
    private int _toolCall = -1;
    private IncrementalHash? _thinking;

    /// <summary>True once a tool call was answered: the stop reason is then <c>tool_use</c>.</summary>
    public bool HasToolUse { get; private set; }

    public void Add(FlowEvent e)
    {
        if (!string.IsNullOrEmpty(e.Reasoning))
        {
            Open(BlockKind.Thinking, null, null);
            _thinking!.AppendData(Encoding.UTF8.GetBytes(e.Reasoning));

            // Omitted thinking still has its block and signature, as Anthropic's API sends it.
            if (!omitThinking) sink.Delta(_index, BlockKind.Thinking, e.Reasoning);
        }

        if (!string.IsNullOrEmpty(e.Text))
        {
            Open(BlockKind.Text, null, null);
            sink.Delta(_index, BlockKind.Text, e.Text);
        }

        foreach (var call in e.ToolCalls ?? [])
        {
            if (_open != BlockKind.ToolUse || call.Index != _toolCall)
            {
                Close();
                _toolCall = call.Index;
                HasToolUse = true;
                Start(BlockKind.ToolUse, call.Id ?? $"toolu_{Guid.NewGuid():N}", call.Name ?? "");
            }

            if (call.Arguments.Length > 0) sink.Delta(_index, BlockKind.ToolUse, call.Arguments);
        }
    }

    /// <summary>Ends the open block, if any.</summary>
    public void Finish() => Close();

    private void Open(BlockKind kind, string? id, string? name)
    {
        if (_open == kind) return;
        Close();
        Start(kind, id, name);
    }

    private void Start(BlockKind kind, string? id, string? name)
    {
        _open = kind;
        _index++;
        if (kind == BlockKind.Thinking) _thinking = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sink.Start(_index, kind, id, name);
    }

    private void Close()
    {
        if (_open is not { } kind) return;
        string? signature = null;
        if (kind == BlockKind.Thinking)
        {
            // Opaque to clients, as Anthropic's are; clients send it back with the block and the router does not check it.
            signature = Convert.ToBase64String(_thinking!.GetHashAndReset());
            _thinking.Dispose();
            _thinking = null;
        }

        sink.Stop(_index, kind, signature);
        _open = null;
    }
}
