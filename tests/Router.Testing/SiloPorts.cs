namespace Router.Testing;

/// <summary>The two ports a silo needs (silo-to-silo and gateway), reserved together.</summary>
public sealed class SiloPorts : IDisposable
{
    private SiloPorts(ReservedPort silo, ReservedPort gateway)
    {
        Silo = silo;
        Gateway = gateway;
    }

    public ReservedPort Silo { get; }

    public ReservedPort Gateway { get; }

    public static SiloPorts Reserve()
    {
        var silo = ReservedPort.Reserve();
        try
        {
            return new SiloPorts(silo, ReservedPort.Reserve());
        }
        catch
        {
            silo.Dispose();
            throw;
        }
    }

    /// <summary>The settings that give a silo these ports.</summary>
    public IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Orleans:SiloPort", Silo.ToString()),
        new("Orleans:GatewayPort", Gateway.ToString()),
    ];

    public void Dispose()
    {
        Silo.Dispose();
        Gateway.Dispose();
    }
}
