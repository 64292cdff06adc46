namespace Router.Classifier.Cli;

/// <summary>Minimal <c>verb --name value [values...]</c> parsing; a flag may repeat values until the next <c>--</c>.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.OrdinalIgnoreCase);

    public CommandLine(string[] args)
    {
        Verb = args.Length > 0 ? args[0] : "help";
        string? current = null;
        foreach (var arg in args.Skip(1))
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                current = arg[2..];
                _options[current] = [];
            }
            else if (current is not null)
            {
                _options[current].Add(arg);
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{arg}'.");
            }
        }
    }

    public string Verb { get; }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Get(string name) => _options.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public string Require(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required.");

    public IReadOnlyList<string> GetAll(string name) => _options.TryGetValue(name, out var values) ? values : [];

    public int GetInt(string name, int fallback) => Get(name) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
