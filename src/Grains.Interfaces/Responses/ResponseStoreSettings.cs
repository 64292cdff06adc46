namespace Router.Grains.Interfaces.Responses;

/// <summary>
/// The bounds of stored responses, shared by the web front (which enforces them) and the silo
/// (whose store lets entries expire): configuration section <see cref="SectionName"/>.
/// </summary>
public static class ResponseStoreSettings
{
    /// <summary>The configuration section of the Responses API's settings.</summary>
    public const string SectionName = "Responses";

    /// <summary>The setting naming how long a stored response is kept (<c>Responses:Retention</c>).</summary>
    public const string RetentionKey = SectionName + ":Retention";

    /// <summary>How long a stored response is kept unless configured otherwise: 30 days, as OpenAI keeps them.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(30);

    /// <summary>The largest conversation a chain of stored responses may hold, unless configured otherwise: 1 MiB.</summary>
    public const long DefaultMaxChainBytes = 1024 * 1024;
}
