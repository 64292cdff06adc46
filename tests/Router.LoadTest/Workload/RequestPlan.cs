using System.Text;
using System.Text.Json;
using Router.LoadTest.Options;

namespace Router.LoadTest.Workload;

/// <summary>One request to send: who sends it and the pre-encoded body for the target protocol.</summary>
internal readonly record struct PlannedRequest(long Index, bool Warmup, string UserId, int PromptIndex);

/// <summary>
/// The workload as a pure function of the request index, so the direct and the router run of
/// <c>overhead</c> send the same prompts from the same users in the same order.
/// </summary>
internal sealed class RequestPlan
{
    private readonly string[] _users;
    private readonly int _warmup;

    private RequestPlan(IReadOnlyList<string> prompts, string[] users, int warmup, string model)
    {
        Prompts = prompts;
        _users = users;
        _warmup = warmup;
        RouterBodies = prompts.Select(p => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["message"] = p })).ToArray();
        DirectBodies = prompts.Select(p => JsonSerializer.SerializeToUtf8Bytes(new DirectChatBody(model, [new DirectChatMessage("user", p)], true), DirectJson.Options)).ToArray();
    }

    public IReadOnlyList<string> Prompts { get; }

    /// <summary><c>{"message":"..."}</c> per prompt.</summary>
    public byte[][] RouterBodies { get; }

    /// <summary>Ollama <c>/api/chat</c> streaming request per prompt.</summary>
    public byte[][] DirectBodies { get; }

    public int UserCount => _users.Length;

    public static RequestPlan Create(LoadTestOptions options)
    {
        var prompts = options.PromptsFile is null ? DefaultPrompts.All : Load(options.PromptsFile);
        var users = Enumerable.Range(1, options.EffectiveUsers)
            .Select(i => options.UserPrefix + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        return new RequestPlan(prompts, users, options.Warmup, options.Model);
    }

    /// <summary>
    /// Bodies only, for callers that pick prompt and user of each request themselves (<c>burst</c>);
    /// <see cref="Get"/> must not be used on such a plan, it has no users.
    /// </summary>
    public static RequestPlan FromPrompts(IReadOnlyList<string> prompts, string model) => new(prompts, [], 0, model);

    public PlannedRequest Get(long index)
    {
        // Users round robin, so concurrent streams come from distinct users; prompts on a stride coprime
        // with most list lengths, so neighbouring requests don't share a prompt (nor a classifier cache hit pattern).
        var user = _users[index % _users.Length];
        var prompt = (int)((index * 7 + index / Prompts.Count) % Prompts.Count);
        return new PlannedRequest(index, index < _warmup, user, prompt);
    }

    private static string[] Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--prompts: file '{path}' not found");
        }

        var prompts = File.ReadAllLines(path, Encoding.UTF8)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToArray();
        return prompts.Length > 0 ? prompts : throw new UsageException($"--prompts: '{path}' holds no prompt");
    }

    private sealed record DirectChatMessage(string Role, string Content);

    private sealed record DirectChatBody(string Model, DirectChatMessage[] Messages, bool Stream);

    private static class DirectJson
    {
        public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    }
}
