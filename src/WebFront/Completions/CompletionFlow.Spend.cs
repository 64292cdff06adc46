using Router.Grains.Interfaces;
using Router.Grains.Interfaces.Keys;
using Router.WebFront.Spend;

namespace Router.WebFront.Completions;

/// <summary>What a flow tells the request's bill and its log row (<see cref="RequestAccounting"/>).</summary>
public sealed partial class CompletionFlow
{
    private RequestTally? _tally;

    private RequestTally Tally => _tally ??= _core.Accounting.NewTally();

    /// <summary>What the answer cost, once it ended with figures (its done item, or a failure that carried them).</summary>
    public RequestCost? Cost => _tally?.Cost;

    /// <summary>True once the client left a resumable answer and its generation was detached for a resume: the resume bills it.</summary>
    public bool Detached { get; private set; }

    /// <summary>True for a flow that picked up an answer another flow began.</summary>
    internal bool IsResume => _resumed;

    /// <summary>Reads a detached answer's end only to bill it (<see cref="DetachedBilling"/>): no client, no request metrics.</summary>
    private bool _billingOnly;

    /// <summary>The lease of the answer a resume picked up: its bill is settled on it.</summary>
    private KeyLease? _resumedLease;

    private RequestCost? Priced(string model, CompletionSummary? summary) => _core.Accounting.Price(Tally, model, summary);

    /// <summary>
    /// Settles the request's spend on its key with the very cost its log row records, so the key's
    /// spend and the log agree. A generation that took the lease settles its tokens itself; a lease no
    /// generation took is released here with the tokens and the spend at once. A deferred bill (a
    /// detached answer) is left for its resume; a reader whose answer was billed already bills nothing.
    /// </summary>
    private async Task<RequestBill> SettleAsync(RequestBill bill)
    {
        if (_admission is { Granted: true } admission && _holdsLease)
        {
            _holdsLease = false;
            await _core.Leases.ReleaseAsync(admission, 0, bill.Deferred ? null : bill.Cost.Amount);
            return bill;
        }

        var lease = _resumedLease ?? (_admission is { Granted: true } granted ? granted.Lease : null);
        if (lease is null || bill.Deferred) return bill;
        return await _core.Leases.SettleSpendAsync(lease, bill.Cost.Amount) ? bill : bill.Nothing();
    }

    /// <summary>Marks this flow as the billing reader of a detached answer.</summary>
    internal void BillOnly() => _billingOnly = true;

    /// <summary>A resume bills the answer on the lease it ran under, and its row names that lease's key.</summary>
    private void ResumedUnder(KeyLease? lease)
    {
        _resumedLease = lease;
        if (lease is not null) _command = _command with { KeyId = lease.KeyId };
    }
}
