namespace Router.Grains.Hosting;

/// <summary>Names of the grain storages the router uses.</summary>
public static class RouterStorage
{
    /// <summary>Storage of per-user session state.</summary>
    public const string Sessions = "sessions";
}
