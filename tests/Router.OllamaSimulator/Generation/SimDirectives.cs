using System.Globalization;

namespace Router.OllamaSimulator;

/// <summary>
/// Per-request behaviour overrides parsed from <c>[[sim:key=value]]</c> markers in the last user message
/// (chat) or the prompt (generate). Several markers may appear, and one marker may hold several
/// comma-separated pairs: <c>[[sim:ttft=200,tps=20]]</c>. Keys: <c>ttft</c> (ms), <c>tps</c>, <c>tokens</c>,
/// <c>status</c> (HTTP status answered instead of generating), <c>cut</c> (abort the connection after N
/// tokens), <c>stall</c> (stop sending after N tokens and hold the connection until the client leaves),
/// <c>fail</c> (after N tokens send Ollama's mid-stream error line <c>{"error":"..."}</c> and end the response),
/// <c>tool</c> (which offered tool to call: a name, several joined by <c>+</c> for parallel calls, or <c>none</c>
/// to answer with text), <c>thinking</c> (thinking tokens of a thinking answer),
/// <c>hold</c> (a name: the answer waits before its first token until a test releases that name, see
/// <see cref="SimulatorHolds"/>), <c>holdafter</c> (the answer holds after N tokens instead of before the first),
/// <c>usage=none</c> (the answer reports no token counts: Ollama's final object without
/// <c>prompt_eval_count</c>/<c>eval_count</c>, OpenAI's answer without <c>usage</c>, as some servers send it).
/// Unknown keys and unparsable values are ignored.
/// </summary>
public readonly record struct SimDirectives(
    int? TimeToFirstTokenMs,
    double? TokensPerSecond,
    int? Tokens,
    int? Status,
    int? CutAfter,
    int? StallAfter,
    int? FailAfter = null,
    string? Tool = null,
    int? ThinkingTokens = null,
    string? Hold = null,
    int HoldAfter = 0,
    bool OmitUsage = false)
{
    public const string Marker = "[[sim:";

    public static SimDirectives None => default;

    public static SimDirectives Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return None;
        }

        var start = text.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return None;
        }

        var result = None;
        while (start >= 0)
        {
            var bodyStart = start + Marker.Length;
            var end = text.IndexOf("]]", bodyStart, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            foreach (var range in text.AsSpan(bodyStart, end - bodyStart).Split(','))
            {
                result = result.Apply(text.AsSpan(bodyStart, end - bodyStart)[range]);
            }

            start = text.IndexOf(Marker, end + 2, StringComparison.Ordinal);
        }

        return result;
    }

    private SimDirectives Apply(ReadOnlySpan<char> pair)
    {
        var eq = pair.IndexOf('=');
        if (eq <= 0)
        {
            return this;
        }

        var key = pair[..eq].Trim();
        var value = pair[(eq + 1)..].Trim();
        var isInt = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0;

        return key switch
        {
            "ttft" when isInt => this with { TimeToFirstTokenMs = n },
            "tps" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 => this with { TokensPerSecond = d },
            "tokens" when isInt => this with { Tokens = n },
            "status" when isInt && n is >= 100 and <= 599 => this with { Status = n },
            "cut" when isInt => this with { CutAfter = n },
            "stall" when isInt => this with { StallAfter = n },
            "fail" when isInt => this with { FailAfter = n },
            "tool" when value.Length > 0 => this with { Tool = value.ToString() },
            "thinking" when isInt => this with { ThinkingTokens = n },
            "hold" when value.Length > 0 => this with { Hold = value.ToString() },
            "holdafter" when isInt => this with { HoldAfter = n },
            "usage" when value.SequenceEqual("none") => this with { OmitUsage = true },
            _ => this,
        };
    }
}
