using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Router.Hosting;
using Router.Grains.Interfaces.Keys;
using Router.Grains.Keys;

namespace Router.Grains.Tests.Keys;

/// <summary>Key state is stored as the Orleans serializer writes it: field ids and aliases, no CLR names, no key.</summary>
public sealed class KeyStateFormatTests
{
    [Fact]
    public async Task Stored_key_state_has_no_clr_names_and_reads_back()
    {
        await using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var storage = new RouterStateSerializer(services.GetRequiredService<Serializer>(), new NoPreviousShape());
        var state = new ApiKeyState
        {
            UserId = "alice",
            KeyHash = new string('a', 64),
            Limits = new KeyLimits(60, null, 10_000, 3),
            CreatedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
        };

        var bytes = storage.Serialize(state).ToArray();
        var text = Encoding.UTF8.GetString(bytes);

        foreach (var clrName in new[] { "Router", "ApiKeyState", "KeyLimits", "UserId", "Limits", "RequestsPerMinute" })
        {
            Assert.DoesNotContain(clrName, text, StringComparison.Ordinal);
        }

        Assert.Equal(state, storage.Deserialize<ApiKeyState>(new BinaryData(bytes)));
    }

    /// <summary>Keys never had another stored shape.</summary>
    private sealed class NoPreviousShape : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => throw new InvalidOperationException("not the previous shape");

        public T Deserialize<T>(BinaryData input) => throw new InvalidOperationException("key state should be in the router's format");
    }
}
