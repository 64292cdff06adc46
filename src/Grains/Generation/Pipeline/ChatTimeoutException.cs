namespace Router.Grains.Generation.Pipeline;

/// <summary>Which of a backend's silences ran out.</summary>
public enum ChatTimeoutKind
{
    /// <summary>No first token within the limit.</summary>
    FirstToken,

    /// <summary>A started answer stayed silent for longer than the limit.</summary>
    Idle,
}

/// <summary>
/// A backend's answer was cut because it stayed silent too long. It says which limit ran out, not
/// what the backend is: the error describer of its pipeline turns it into the backend's own code.
/// </summary>
public sealed class ChatTimeoutException(ChatTimeoutKind kind, TimeSpan limit, Exception? inner = null)
    : TimeoutException(Describe(kind, limit), inner)
{
    public ChatTimeoutKind Kind { get; } = kind;

    public TimeSpan Limit { get; } = limit;

    /// <summary>The limit in seconds as the router's error messages show it.</summary>
    public string Seconds => Limit.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(ChatTimeoutKind kind, TimeSpan limit) => kind == ChatTimeoutKind.FirstToken
        ? $"no token within {limit.TotalSeconds:0.#} s"
        : $"no token for {limit.TotalSeconds:0.#} s after the answer started";
}
