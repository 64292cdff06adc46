using Microsoft.Extensions.Options;

namespace Router.WebFront.RequestLog;

/// <summary>Where the request log lives.</summary>
public enum RequestLogProvider
{
    /// <summary>Unset: PostgreSQL when the cluster's membership is in PostgreSQL (<c>Orleans:Clustering:Provider=AdoNet</c>), else SQLite.</summary>
    Auto,

    /// <summary>An embedded database file (<see cref="RequestLogOptions.Path"/>), this web front's own.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by every web front (<see cref="RequestLogOptions.ConnectionString"/>).</summary>
    Postgres,
}

/// <summary>The request log (configuration section <c>RequestLog</c>).</summary>
public sealed class RequestLogOptions
{
    public const string SectionName = "RequestLog";

    /// <summary>False: no rows are written and the usage API answers 404.</summary>
    public bool Enabled { get; set; } = true;

    public RequestLogProvider Provider { get; set; } = RequestLogProvider.Auto;

    /// <summary>PostgreSQL connection string; unset: the cluster's storage or clustering connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The SQLite file; relative paths are under the content root. Default <c>data/requests.db</c>.</summary>
    public string Path { get; set; } = System.IO.Path.Combine("data", "requests.db");

    /// <summary>Rows kept in memory while the database is slow or down; past it rows are dropped (and counted).</summary>
    public int BufferSize { get; set; } = 10_000;

    /// <summary>Rows written in one transaction.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long a row may wait for more to fill its batch.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often old rows are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest pause between tries while the database is unreachable.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Each statement's limit: a database that hangs counts as down after it.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Keep the prompt and the answer text in each row. Off by default: the log holds figures, not content.</summary>
    public bool IncludeText { get; set; }

    /// <summary>Names this web front in its rows; unset: the host name and process id.</summary>
    public string? WebFrontName { get; set; }
}

/// <summary>Checks <see cref="RequestLogOptions"/> at start-up, naming the setting at fault.</summary>
public sealed class RequestLogOptionsValidator : IValidateOptions<RequestLogOptions>
{
    public ValidateOptionsResult Validate(string? name, RequestLogOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider)) failures.Add("RequestLog:Provider must be Sqlite or Postgres (or unset).");
        if (options.BufferSize < 1) failures.Add("RequestLog:BufferSize must be at least 1.");
        if (options.BatchSize < 1) failures.Add("RequestLog:BatchSize must be at least 1.");
        if (options.FlushInterval <= TimeSpan.Zero) failures.Add("RequestLog:FlushInterval must be positive.");
        if (options.Retention <= TimeSpan.Zero) failures.Add("RequestLog:Retention must be positive.");
        if (options.CleanupInterval <= TimeSpan.Zero) failures.Add("RequestLog:CleanupInterval must be positive.");
        if (options.MaxRetryDelay <= TimeSpan.Zero) failures.Add("RequestLog:MaxRetryDelay must be positive.");
        if (options.CommandTimeout < TimeSpan.FromSeconds(1)) failures.Add("RequestLog:CommandTimeout must be at least one second.");
        if (options.Enabled && options.Provider == RequestLogProvider.Sqlite && string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add("RequestLog:Path must name the SQLite file.");
        }

        if (options.Enabled && options.Provider == RequestLogProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("RequestLog:ConnectionString is required for the Postgres request log (or Orleans:Clustering:ConnectionString with AdoNet clustering).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
