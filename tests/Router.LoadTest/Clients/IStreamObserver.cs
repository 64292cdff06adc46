namespace Router.LoadTest.Clients;

/// <summary>Live notifications from a request in flight, for the per-second progress and time series.</summary>
internal interface IStreamObserver
{
    void OnFirstToken(RequestRecord record);

    void OnChunk(RequestRecord record);
}
