using System.Diagnostics;
using Router.Testing;

namespace Router.Cluster.Tests.Infrastructure;

/// <summary>How an SSE response ended.</summary>
public enum StreamEnd
{
    /// <summary>The done event.</summary>
    Done,

    /// <summary>An error event.</summary>
    Error,

    /// <summary>The response closed with no terminal event (or the connection broke).</summary>
    Silent,

    /// <summary>Nothing ended it within the test's bound.</summary>
    Hung,

    /// <summary>No stream: the request was refused or could not connect.</summary>
    Refused,
}

/// <summary>One request's fate, with the moments (since the run's epoch) it started and ended.</summary>
public sealed record StreamResult(
    string UserId, int WebFront, StreamEnd End, string? ErrorCode, int Tokens, TimeSpan StartedAt, TimeSpan EndedAt, string? Detail);

/// <summary>Sends a prompt through a web front and reads its SSE answer to the end, within a bound.</summary>
public static class StreamDriver
{
    public static async Task<StreamResult> RunAsync(
        WebFrontProcess webFront, int webFrontIndex, string userId, string message, Stopwatch epoch, TimeSpan bound,
        TaskCompletionSource? firstToken = null)
    {
        var startedAt = epoch.Elapsed;
        using var cts = new CancellationTokenSource(bound);
        var tokens = 0;
        try
        {
            await using var stream = await SseClient.PostAsync(webFront.Http, message, userId, cts.Token);
            if (!stream.Response.IsSuccessStatusCode)
            {
                return new StreamResult(userId, webFrontIndex, StreamEnd.Refused, ((int)stream.Response.StatusCode).ToString(), 0, startedAt, epoch.Elapsed, null);
            }

            while (await stream.NextAsync(cts.Token) is { } e)
            {
                if (e.IsError) return new StreamResult(userId, webFrontIndex, StreamEnd.Error, e.ErrorCode, tokens, startedAt, epoch.Elapsed, e.Message);
                if (e.IsDone) return new StreamResult(userId, webFrontIndex, StreamEnd.Done, null, tokens, startedAt, epoch.Elapsed, null);
                tokens++;
                firstToken?.TrySetResult();
            }

            return new StreamResult(userId, webFrontIndex, StreamEnd.Silent, null, tokens, startedAt, epoch.Elapsed, "response ended without a terminal event");
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return new StreamResult(userId, webFrontIndex, StreamEnd.Hung, null, tokens, startedAt, epoch.Elapsed, $"no end within {bound.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex) when (tokens == 0 && ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return new StreamResult(userId, webFrontIndex, StreamEnd.Refused, "connection_refused", 0, startedAt, epoch.Elapsed, ex.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return new StreamResult(userId, webFrontIndex, StreamEnd.Silent, null, tokens, startedAt, epoch.Elapsed, "connection broke: " + ex.Message);
        }
    }

    public static string Summarize(IEnumerable<StreamResult> results) =>
        string.Join(", ", results.GroupBy(r => r.End == StreamEnd.Error || r.End == StreamEnd.Refused ? $"{r.End}({r.ErrorCode})" : r.End.ToString())
            .OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
}
