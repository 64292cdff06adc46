using Router.Grains.Interfaces;
using Router.Grains.Interfaces.Responses;

namespace Router.Grains.Responses;

/// <summary>
/// One stored response (see <see cref="IResponseStoreGrain"/>). Written once, read by continuations,
/// cleared on delete or when found expired; Redis also expires the entry by itself (the silo's
/// storage options), so a response nobody reads again does not outlive its retention there.
/// </summary>
public sealed class ResponseStoreGrain(
    [PersistentState("response", RouterStorage.Responses)] IPersistentState<ResponseStoreState> state,
    TimeProvider clock) : Grain, IResponseStoreGrain
{
    public async ValueTask<bool> StoreAsync(StoredResponse response, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(cancellationToken) is not null) return false;
        state.State = new ResponseStoreState { Response = response };
        await state.WriteStateAsync(cancellationToken);
        return true;
    }

    public async ValueTask<StoredResponse?> GetAsync(CancellationToken cancellationToken = default)
    {
        if (state.State.Response is not { } response) return null;
        if (response.ExpiresAt > clock.GetUtcNow()) return response;
        await ForgetAsync(cancellationToken);
        return null;
    }

    public async ValueTask<bool> DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (await GetAsync(cancellationToken) is null) return false;
        await ForgetAsync(cancellationToken);
        return true;
    }

    private async Task ForgetAsync(CancellationToken cancellationToken)
    {
        await state.ClearStateAsync(cancellationToken);
        state.State = new ResponseStoreState();

        // Nothing is left to keep in memory either.
        DeactivateOnIdle();
    }
}
