namespace Router.Grains.Interfaces;

/// <summary>
/// The generations running on one silo, keyed by that silo's address
/// (<see cref="Orleans.Runtime.SiloAddress.ToParsableString"/>) and always activated on that silo.
/// A generation belongs to the silo that runs it, not to the session that started it, so a
/// cancellation reaches it wherever the user's session grain has moved since.
/// </summary>
public interface IGenerationOwnerGrain : IGrainWithStringKey
{
    /// <summary>Stops a running generation (its client went away); the backend request is aborted. Unknown ids are ignored.</summary>
    ValueTask CancelAsync(Guid requestId, CancellationToken cancellationToken = default);
}
