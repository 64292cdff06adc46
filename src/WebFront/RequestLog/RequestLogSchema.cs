namespace Router.WebFront.RequestLog;

/// <summary>
/// The request log's one schema, in each database's words. Migrations are numbered and applied in
/// order at start-up; each is recorded in <c>request_log_migrations</c>, so a later one runs once on
/// every database. Money is an integer of 10^-10 currency units (<c>cost_e10</c>): sums stay exact
/// in both databases, where SQLite has no decimal type.
/// </summary>
internal static class RequestLogSchema
{
    public const decimal CostScale = 10_000_000_000m;

    /// <summary>Every column but the id, in insert order.</summary>
    public static readonly string[] Columns =
    [
        "time_ms", "request_id", "surface", "key_id", "user_id", "model_requested", "model", "category", "confidence", "tier",
        "routing_reason", "prompt_tokens", "output_tokens", "cached_tokens", "cost_e10", "cost_estimated", "currency", "ttft_ms",
        "duration_ms", "outcome", "error_code", "web_front", "silo", "trace_id", "prompt", "answer",
    ];

    /// <summary>The single-row insert, with <c>?1</c>, <c>?2</c>, … for the columns in order.</summary>
    public static readonly string InsertSql =
        $"INSERT INTO request_log ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select((_, i) => $"?{i + 1}"))})";

    /// <summary>PostgreSQL's bulk load of the columns, in order, in its binary format.</summary>
    public static readonly string CopySql = $"COPY request_log ({string.Join(", ", Columns)}) FROM STDIN (FORMAT BINARY)";

    public static IReadOnlyList<string> Postgres { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS request_log (
            id bigserial PRIMARY KEY,
            time_ms bigint NOT NULL,
            request_id text NOT NULL,
            surface text NOT NULL,
            key_id text,
            user_id text,
            model_requested text,
            model text,
            category text,
            confidence double precision,
            tier text,
            routing_reason text,
            prompt_tokens bigint,
            output_tokens bigint,
            cached_tokens bigint,
            cost_e10 bigint NOT NULL,
            cost_estimated boolean NOT NULL,
            currency text NOT NULL,
            ttft_ms double precision,
            duration_ms bigint NOT NULL,
            outcome text NOT NULL,
            error_code text,
            web_front text NOT NULL,
            silo text,
            trace_id text,
            prompt text,
            answer text);
        CREATE INDEX IF NOT EXISTS request_log_time ON request_log (time_ms);
        CREATE INDEX IF NOT EXISTS request_log_key_time ON request_log (key_id, time_ms);
        CREATE INDEX IF NOT EXISTS request_log_user_time ON request_log (user_id, time_ms);
        """,
    ];

    public static IReadOnlyList<string> Sqlite { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS request_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time_ms INTEGER NOT NULL,
            request_id TEXT NOT NULL,
            surface TEXT NOT NULL,
            key_id TEXT,
            user_id TEXT,
            model_requested TEXT,
            model TEXT,
            category TEXT,
            confidence REAL,
            tier TEXT,
            routing_reason TEXT,
            prompt_tokens INTEGER,
            output_tokens INTEGER,
            cached_tokens INTEGER,
            cost_e10 INTEGER NOT NULL,
            cost_estimated INTEGER NOT NULL,
            currency TEXT NOT NULL,
            ttft_ms REAL,
            duration_ms INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            error_code TEXT,
            web_front TEXT NOT NULL,
            silo TEXT,
            trace_id TEXT,
            prompt TEXT,
            answer TEXT);
        CREATE INDEX IF NOT EXISTS request_log_time ON request_log (time_ms);
        CREATE INDEX IF NOT EXISTS request_log_key_time ON request_log (key_id, time_ms);
        CREATE INDEX IF NOT EXISTS request_log_user_time ON request_log (user_id, time_ms);
        """,
    ];

    public const string MigrationsTable =
        "CREATE TABLE IF NOT EXISTS request_log_migrations (version integer PRIMARY KEY, applied_ms bigint NOT NULL)";

    /// <summary>The SQL expression a grouping sums by: the same in both databases (integer division of the time).</summary>
    public static string GroupExpression(UsageGrouping grouping) => grouping switch
    {
        UsageGrouping.Model => "model",
        UsageGrouping.Key => "key_id",
        UsageGrouping.User => "user_id",
        UsageGrouping.Category => "category",
        UsageGrouping.Day => "time_ms / 86400000",
        _ => "time_ms / 3600000",
    };
}
