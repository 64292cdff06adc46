namespace Router.Classifier;

/// <summary>Applies <see cref="RoutingTableOptions"/> to a category and its confidence.</summary>
public sealed class RoutingTable
{
    private readonly Dictionary<string, string> _routes;

    public RoutingTable(RoutingTableOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _routes = new Dictionary<string, string>(options.Routes ?? [], StringComparer.Ordinal);
        Threshold = options.ConfidenceThreshold;
        DefaultModel = options.DefaultModel;
    }

    public double Threshold { get; }

    public string DefaultModel { get; }

    /// <summary>The model for <paramref name="category"/>, or the default when unrouted or under the threshold.</summary>
    public string Choose(string category, double confidence) =>
        confidence >= Threshold && _routes.TryGetValue(category, out var model) ? model : DefaultModel;
}
