using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Cluster.Tests.Infrastructure;

namespace Router.Cluster.Tests;

/// <summary>
/// The console on two web fronts of one cluster (separate processes, Redis membership): a session
/// made on one front is found by the other, whose Cluster view reads both fronts and the silo
/// process, and signing out on either ends it on both.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ConsoleClusterTests(ClusterServices services)
{
    private const string AdminKey = "cluster-admin-key-0123456789";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_console_session_made_on_one_web_front_works_on_the_other_and_signing_out_there_ends_it_on_both()
    {
        await using var cluster = await LocalCluster.StartAsync(services, silos: 1, webFronts: 2,
            webFrontSettings: new Dictionary<string, string> { ["Auth:Mode"] = "Keys", ["Auth:AdminKey"] = AdminKey });
        var (first, second) = (cluster.WebFronts[0].BaseUrl, cluster.WebFronts[1].BaseUrl);
        // Cookies by hand: each call names the front it goes to, and the cookie must cross between them.
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = Deadline };

        using var signIn = Request(HttpMethod.Post, first, "/console/api/session", cookie: null);
        signIn.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var signedIn = await http.SendAsync(signIn);
        Assert.Equal(200, (int)signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("router_console=", StringComparison.Ordinal)).Split(';')[0];
        var csrf = (await signedIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrf_token").GetString();

        using (var seen = await http.SendAsync(Request(HttpMethod.Get, second, "/console/api/session", cookie)))
        {
            Assert.True(seen.StatusCode == System.Net.HttpStatusCode.OK, $"the second web front did not find the session made on the first: {(int)seen.StatusCode}");
            var session = await seen.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("operator", session.GetProperty("role").GetString());
            Assert.Equal(csrf, session.GetProperty("csrf_token").GetString());
        }

        // The Cluster view from the second front: both fronts (they report every 5 s) and the silo
        // process's own figures, read through its silo-bound status grain.
        var view = await ClusterViewAsync(http, second, cookie, v => v.GetProperty("web_fronts").GetArrayLength() == 2);
        var silo = Assert.Single(view.GetProperty("silos").EnumerateArray(), s => s.GetProperty("status").GetString() == "Active");
        Assert.Equal(JsonValueKind.Number, silo.GetProperty("running_generations").ValueKind);
        Assert.Equal(JsonValueKind.Null, silo.GetProperty("status_error").ValueKind);

        using var signOut = Request(HttpMethod.Delete, second, "/console/api/session", cookie);
        signOut.Headers.Add("X-Console-Csrf", csrf);
        using (var signedOut = await http.SendAsync(signOut))
        {
            Assert.Equal(204, (int)signedOut.StatusCode);
        }

        using var afterwards = await http.SendAsync(Request(HttpMethod.Get, first, "/console/api/session", cookie));
        Assert.Equal(401, (int)afterwards.StatusCode);
    }

    /// <summary>GET /console/api/admin/cluster until <paramref name="ready"/> holds (web fronts report on a period), or fails at the deadline.</summary>
    private static async Task<JsonElement> ClusterViewAsync(HttpClient http, Uri front, string cookie, Func<JsonElement, bool> ready)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.SendAsync(Request(HttpMethod.Get, front, "/console/api/admin/cluster", cookie));
            Assert.Equal(200, (int)response.StatusCode);
            var view = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (ready(view)) return view;
            Assert.True(waited.Elapsed < Deadline, $"waiting for both web fronts in the cluster view: {view}");
            await Task.Delay(250);
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri front, string path, string? cookie)
    {
        var request = new HttpRequestMessage(method, new Uri(front, path));
        request.Headers.Add("Origin", front.GetLeftPart(UriPartial.Authority));
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        return request;
    }
}
