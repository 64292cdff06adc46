using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Router.Hosting;

namespace Router.Grains.Tests.Hosting;

/// <summary>A silo listening beyond loopback speaks mutual TLS, or says in a setting that its network is private.</summary>
public sealed class NetworkTlsTests
{
    private static readonly string[] NetworkSilo =
    [
        "--Orleans:Clustering:Provider=Redis", "--Orleans:Clustering:ConnectionString=127.0.0.1:1",
        "--Orleans:AdvertisedAddress=10.20.30.40",
    ];

    [Fact]
    public void A_silo_beyond_loopback_without_tls_refuses_to_start_saying_why()
    {
        var builder = Host.CreateApplicationBuilder(NetworkSilo);

        var failure = Assert.Throws<InvalidOperationException>(() => builder.AddRouterSilo(_ => { }));

        Assert.Contains("10.20.30.40", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Orleans:Tls:CertificatePath", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Orleans:Tls:AllowPlainTcp=true", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_private_network_setting_lets_it_start_over_plain_tcp()
    {
        var builder = Host.CreateApplicationBuilder([.. NetworkSilo, "--Orleans:Tls:AllowPlainTcp=true"]);

        builder.AddRouterSilo(_ => { });
        using var host = builder.Build();

        Assert.NotNull(host.Services.GetService(typeof(Orleans.Runtime.ILocalSiloDetails)));
    }

    [Fact]
    public void A_certificate_lets_it_start()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("router-tls-").FullName, "cluster.pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=router-cluster", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, "test-password"));
        }

        var builder = Host.CreateApplicationBuilder(
            [.. NetworkSilo, $"--Orleans:Tls:CertificatePath={path}", "--Orleans:Tls:CertificatePassword=test-password"]);

        builder.AddRouterSilo(_ => { });
        using var host = builder.Build();

        Assert.NotNull(host.Services.GetService(typeof(Orleans.Runtime.ILocalSiloDetails)));
    }

    [Fact]
    public void A_silo_on_loopback_needs_no_tls()
    {
        var builder = Host.CreateApplicationBuilder(
            ["--Orleans:Clustering:Provider=Redis", "--Orleans:Clustering:ConnectionString=127.0.0.1:1", "--Orleans:AdvertisedAddress=127.0.0.1"]);

        builder.AddRouterSilo(_ => { });
        using var host = builder.Build();

        Assert.NotNull(host.Services.GetService(typeof(Orleans.Runtime.ILocalSiloDetails)));
    }
}
