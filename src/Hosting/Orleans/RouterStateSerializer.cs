using Orleans.Serialization;
using Orleans.Storage;

namespace Router.Hosting;

/// <summary>
/// How the router's grain state is stored: a 4-byte format tag, then the state as the Orleans
/// serializer writes it, which is the records' aliases and <c>[Id(n)]</c> field ids (for example
/// <c>router.key-state.v1</c>), never CLR type or property names, so classes can be renamed and moved
/// freely; only ids must never be renumbered. State without the tag is the previous shape: the JSON
/// the default storage serializer wrote (assembly-qualified <c>$type</c> names and property names),
/// read with that serializer and written back in the tagged format on the next write.
/// </summary>
public sealed class RouterStateSerializer(Serializer serializer, IGrainStorageSerializer previous) : IGrainStorageSerializer
{
    /// <summary>The format tag: never the first byte of JSON.</summary>
    internal static ReadOnlySpan<byte> Tag => [0x00, (byte)'R', (byte)'S', 0x01];

    public BinaryData Serialize<T>(T? input)
    {
        var payload = serializer.SerializeToArray(input);
        var data = new byte[Tag.Length + payload.Length];
        Tag.CopyTo(data);
        payload.CopyTo(data.AsSpan(Tag.Length));
        return new BinaryData(data);
    }

    public T Deserialize<T>(BinaryData input)
    {
        var data = input.ToMemory();
        return data.Span.StartsWith(Tag)
            ? serializer.Deserialize<T>(data[Tag.Length..])!
            : previous.Deserialize<T>(input)!;
    }
}
