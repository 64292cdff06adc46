using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Router.Cluster.Tests.Infrastructure;
using Router.Testing;

namespace Router.Cluster.Tests;

/// <summary>
/// <c>Orleans:Tls:*</c> on real processes: two silos and a web front joined through Redis talk over
/// mutual TLS with a pinned self-signed certificate; a peer with another certificate is refused.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class TlsClusterTests(ClusterServices services, ITestOutputHelper output)
{
    [Fact]
    public async Task Silos_and_web_fronts_talk_over_mutual_tls_and_a_stranger_is_refused()
    {
        var directory = Directory.CreateTempSubdirectory("router-tls-").FullName;
        var (path, password, certificate) = CreateCertificate(directory, "router-cluster");
        var tls = new Dictionary<string, string>
        {
            ["Orleans:Tls:CertificatePath"] = path,
            ["Orleans:Tls:CertificatePassword"] = password,
        };
        await using var cluster = await LocalCluster.StartAsync(services, silos: 2, webFronts: 1, siloSettings: tls, webFrontSettings: tls);
        var figures = new Figures("Orleans over mutual TLS, 2 silos and a web front on Redis", output);

        // Answers cross silo-to-silo and client-to-gateway connections, all of them TLS now.
        var endings = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await using var sse = await SseClient.PostAsync(cluster.WebFronts[0].Http, $"tls {i} [[sim:tokens=3]]", $"tls-user-{i}", timeout.Token);
            var events = await sse.ReadToEndAsync(timeout.Token);
            endings.Add(events[^1].IsDone ? "done" : events[^1].ErrorCode ?? "?");
        }

        figures.Add("answers through the TLS cluster", string.Join(", ", endings.GroupBy(e => e).Select(g => $"{g.Key}: {g.Count()}")));
        Assert.All(endings, e => Assert.Equal("done", e));

        // The gateway speaks TLS, presents the cluster's certificate and keeps a peer with it connected...
        var gateway = int.Parse(cluster.Silos[0].Settings["Orleans:GatewayPort"]);
        var (trustedServer, trustedOutcome) = await ConnectAsync(gateway, certificate);
        Assert.Equal(certificate.Thumbprint, trustedServer);
        Assert.Equal("open", trustedOutcome);

        // ...and drops one with a certificate it does not know.
        var (_, _, stranger) = CreateCertificate(directory, "stranger");
        var (_, strangerOutcome) = await ConnectAsync(gateway, stranger);
        figures.Add("peer with the cluster's certificate / with another one", $"{trustedOutcome} / {strangerOutcome}");
        Assert.Equal("refused", strangerOutcome);
        figures.Save();
    }

    /// <summary>A TLS handshake with <paramref name="clientCertificate"/>; then whether the server keeps the connection.</summary>
    private static async Task<(string? ServerThumbprint, string Outcome)> ConnectAsync(int port, X509Certificate2 clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "router-cluster",
                ClientCertificates = [clientCertificate],
            });
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
        {
            return (null, "refused");
        }

        var server = ssl.RemoteCertificate is { } remote ? new X509Certificate2(remote).Thumbprint : null;
        // A trusted peer is kept waiting for its Orleans preamble; a refused one gets the connection closed.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            var read = await ssl.ReadAsync(new byte[1], wait.Token);
            return (server, read == 0 ? "refused" : "open");
        }
        catch (OperationCanceledException)
        {
            return (server, "open");
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
        {
            return (server, "refused");
        }
    }

    private static (string Path, string Password, X509Certificate2 Certificate) CreateCertificate(string directory, string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var pfx = created.Export(X509ContentType.Pfx, password);
        var path = Path.Combine(directory, name + ".pfx");
        File.WriteAllBytes(path, pfx);
        return (path, password, X509CertificateLoader.LoadPkcs12(pfx, password));
    }
}
