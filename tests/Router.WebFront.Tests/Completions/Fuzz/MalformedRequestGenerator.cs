using System.Text;

namespace Router.WebFront.Tests.Completions.Fuzz;

/// <summary>
/// Mutations of valid <c>POST /complete</c> requests, from one seed so a failure can be replayed.
/// Valid bodies steer the router to a model without a streaming backend, so the few mutations that
/// stay valid are answered at once.
/// </summary>
internal sealed class MalformedRequestGenerator(int seed)
{
    public static readonly string[] Mutations =
        ["truncate", "flip", "invalid_utf8", "surrogate", "huge_number", "deep", "duplicate", "content_type", "user_id", "chunked", "oversize"];

    private static readonly string[] ValidBodies =
    [
        "{\"message\":\"fuzz [[classify:code]] [[sim:tokens=1]]\"}",
        "{\"message\": \"caf\\u00e9 \\ud83d\\ude00 \u00e9 \u20ac [[classify:code]] [[sim:tokens=1]]\", \"extra\": [1, 2.5e3, {\"a\": null, \"b\": [true, false]}]}",
        "{ \"extra\" : { \"k\" : \"v\" } , \"message\" : \"two\\n\\t\\\"quoted\\\" [[classify:code]] [[sim:tokens=1]]\" }",
        "\uFEFF{\"message\":\"bom [[classify:code]] [[sim:tokens=1]]\",\"n\":-0.0}",
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xC3, 0x28], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xFF], [0xFE], [0x80], [0xBF], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    private static readonly string[] SurrogateEscapes =
        ["\\ud800", "\\udc00", "\\udbff", "\\udfff", "\\ud800\\u0041", "\\ud800x", "\\udc00\\ud800", "\\ud800\\ud800", "\\uD83D", "\\ud83d\\u"];

    private static readonly string[] NonAscii = ["é", "€", "中", "ß", "\u00a0", "\u200b", "\u202e", "\uFFFD", "\U0001F600"];

    private static readonly string?[] ContentTypes =
    [
        null, "", "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/", "application/+json", "/json", ";", "json", "application/json;;;", "application/jsonx", "text/json",
        "application/json; charset=utf-16", "APPLICATION/JSON", "application/problem+json", "application/json\u0001", "*/*",
    ];

    private static readonly byte[] JsonPunctuation = "{}[]\":,\\ntfe0-.+E"u8.ToArray();

    private readonly Random _random = new(seed);

    public IEnumerable<FuzzCase> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var mutation = Mutations[i % Mutations.Length];
            var body = Encoding.UTF8.GetBytes(Pick(ValidBodies));
            string? contentType = "application/json";
            IReadOnlyList<string> userIds = ["fuzz" + _random.Next(50)];
            var chunked = _random.Next(8) == 0;
            switch (mutation)
            {
                case "truncate": body = body[.._random.Next(body.Length)]; break;
                case "flip": body = Flip(body); break;
                case "invalid_utf8": body = Insert(body, Pick(InvalidUtf8)); break;
                case "surrogate": body = InsertInString(body, Pick(SurrogateEscapes)); break;
                case "huge_number": body = HugeNumber(body); break;
                case "deep": body = Deep(); break;
                case "duplicate": body = Duplicate(); break;
                case "content_type": contentType = Pick(ContentTypes); break;
                case "user_id": userIds = UserIds(); break;
                case "chunked": chunked = true; body = _random.Next(2) == 0 ? Flip(body) : body[.._random.Next(body.Length)]; break;
                case "oversize": body = Oversize(body); break;
            }

            yield return new FuzzCase(i, mutation, body, contentType, userIds, chunked);
        }
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private byte[] Flip(byte[] body)
    {
        var copy = (byte[])body.Clone();
        for (var n = 1 + _random.Next(4); n > 0; n--)
        {
            copy[_random.Next(copy.Length)] = _random.Next(3) switch
            {
                0 => (byte)_random.Next(256),
                1 => JsonPunctuation[_random.Next(JsonPunctuation.Length)],
                _ => (byte)(copy[_random.Next(copy.Length)] ^ (1 << _random.Next(8))),
            };
        }

        return copy;
    }

    private byte[] Insert(byte[] body, byte[] bytes)
    {
        var at = _random.Next(body.Length + 1);
        return [.. body[..at], .. bytes, .. body[at..]];
    }

    /// <summary>Puts the text just after an opening quote, so it lands inside a string or a key.</summary>
    private byte[] InsertInString(byte[] body, string text)
    {
        var quotes = Enumerable.Range(0, body.Length).Where(i => body[i] == '"').ToList();
        var at = quotes.Count == 0 ? 0 : quotes[_random.Next(quotes.Count)] + 1;
        return [.. body[..at], .. Encoding.ASCII.GetBytes(text), .. body[at..]];
    }

    private byte[] HugeNumber(byte[] body)
    {
        var digits = new string('9', 1 + _random.Next(20_000));
        var number = _random.Next(4) switch { 0 => digits, 1 => "-" + digits + ".5", 2 => "1e" + digits, _ => "0." + digits + "E-" + digits[..Math.Min(9, digits.Length)] };
        return _random.Next(2) == 0
            ? Encoding.UTF8.GetBytes($"{{\"message\": {number}}}")
            : Encoding.UTF8.GetBytes($"{{\"n\": {number}, " + Encoding.UTF8.GetString(body).TrimStart('\uFEFF')[1..]);
    }

    private byte[] Deep()
    {
        var depth = _random.Next(10, 20_000);
        var open = _random.Next(3) switch { 0 => "[", 1 => "{\"a\":", _ => "[{\"b\":" };
        var close = open switch { "[" => "]", "{\"a\":" => "}", _ => "}]" };
        var inner = string.Concat(Enumerable.Repeat(open, depth)) + "1" + (_random.Next(2) == 0 ? string.Concat(Enumerable.Repeat(close, depth)) : "");
        return Encoding.UTF8.GetBytes(_random.Next(2) == 0 ? inner : $"{{\"message\": \"deep [[classify:code]]\", \"x\": {inner}}}");
    }

    private byte[] Duplicate()
    {
        var key = _random.Next(3) switch { 0 => "message", 1 => "m\\u0065ssage", _ => "\\u006d\\u0065\\u0073\\u0073\\u0061\\u0067\\u0065" };
        var second = _random.Next(3) switch { 0 => "\"b\"", 1 => "null", _ => "42" };
        return Encoding.UTF8.GetBytes($"{{\"message\": \"a [[classify:code]]\", \"{key}\": {second}}}");
    }

    private IReadOnlyList<string> UserIds()
    {
        if (_random.Next(10) == 0) return [];
        var count = _random.Next(6) == 0 ? 2 : 1;
        var ids = new List<string>();
        for (var n = 0; n < count; n++)
        {
            var id = new StringBuilder();
            for (var length = _random.Next(_random.Next(2) == 0 ? 12 : 300); length > 0; length--)
            {
                id.Append(_random.Next(6) switch
                {
                    0 => (char)_random.Next(1, 9),
                    1 => Pick(NonAscii),
                    2 => ' ',
                    _ => (char)_random.Next(0x21, 0x7F),
                });
            }

            ids.Add(id.ToString());
        }

        return ids;
    }

    private byte[] Oversize(byte[] body)
    {
        var padding = new string('x', 64 * 1024 + _random.Next(8 * 1024));
        return _random.Next(2) == 0
            ? Encoding.UTF8.GetBytes($"{{\"message\": \"{padding}\"}}")
            : Encoding.UTF8.GetBytes($"{{\"pad\": \"{padding}\", " + Encoding.UTF8.GetString(body).TrimStart('\uFEFF')[1..]);
    }
}
