namespace Router.Grains.Interfaces;

/// <summary>Names of the grain storages the router uses.</summary>
public static class RouterStorage
{
    /// <summary>Storage of per-user session state.</summary>
    public const string Sessions = "sessions";

    /// <summary>Storage of API keys (hashes only), their lookups and the key registry.</summary>
    public const string Keys = "keys";

    /// <summary>Storage of the Responses API's stored answers (one entry per response, kept for a bounded time).</summary>
    public const string Responses = "responses";
}
