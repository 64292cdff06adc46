using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace Router.Hosting;

/// <summary>
/// Orleans traffic over mutual TLS (<c>Orleans:Tls:*</c>): silo to silo and client to gateway. Every
/// node presents the certificate at <c>Orleans:Tls:CertificatePath</c> (PKCS#12) and accepts a peer
/// only if the peer presents that same certificate or one listed in <c>Orleans:Tls:TrustedThumbprints</c>
/// — the cluster pins its own certificates, so a self-signed one works and nothing else gets in.
/// Unset path: plain TCP — allowed only on loopback, or with <c>Orleans:Tls:AllowPlainTcp=true</c>.
/// </summary>
public static class RouterTlsExtensions
{
    public const string SectionName = "Orleans:Tls";

    /// <summary>The opt-out of <see cref="EnsureNetworkIsProtected"/>, for a private network whose every host is trusted.</summary>
    public const string AllowPlainTcpSetting = SectionName + ":AllowPlainTcp";

    /// <summary>
    /// A silo listening beyond loopback without TLS accepts any client: anyone who reaches its
    /// gateway port can call any grain (read a user's session, make API keys). So such a silo
    /// refuses to start unless <c>Orleans:Tls:CertificatePath</c> is set or
    /// <c>Orleans:Tls:AllowPlainTcp=true</c> says its network is private.
    /// </summary>
    public static void EnsureNetworkIsProtected(IConfiguration configuration, System.Net.IPAddress advertised)
    {
        if (!string.IsNullOrWhiteSpace(configuration[$"{SectionName}:CertificatePath"])) return;
        if (configuration.GetValue<bool>(AllowPlainTcpSetting)) return;
        throw new InvalidOperationException(
            $"This silo would listen beyond loopback (it advertises {advertised}) over plain TCP, where anyone who reaches its silo or " +
            $"gateway port could call any grain — read users' sessions, create API keys. Set {SectionName}:CertificatePath (and " +
            $"{SectionName}:CertificatePassword) to a PKCS#12 certificate shared by the cluster for mutual TLS, or — on a private " +
            $"network where every host is trusted — set {AllowPlainTcpSetting}=true.");
    }

    public static ISiloBuilder UseRouterTls(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (Load(configuration) is { } tls) silo.UseTls(tls.Certificate, tls.Configure);
        return silo;
    }

    public static IClientBuilder UseRouterTls(this IClientBuilder client, IConfiguration configuration)
    {
        if (Load(configuration) is { } tls) client.UseTls(tls.Certificate, tls.Configure);
        return client;
    }

    /// <summary>The configured certificate and trust, or null when TLS is off; a bad setting fails at start naming it.</summary>
    internal static PinnedTls? Load(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var path = section["CertificatePath"];
        if (string.IsNullOrWhiteSpace(path)) return null;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{SectionName}:CertificatePath names a file that does not exist: '{path}'.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, section["CertificatePassword"]);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InvalidOperationException($"{SectionName}:CertificatePath could not be read as a PKCS#12 file with {SectionName}:CertificatePassword: {ex.Message}", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"{SectionName}:CertificatePath must hold the certificate's private key.");
        }

        var trusted = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { certificate.Thumbprint };
        foreach (var thumbprint in section.GetSection("TrustedThumbprints").Get<string[]>() ?? []) trusted.Add(thumbprint.Replace(" ", ""));
        return new PinnedTls(certificate, trusted);
    }

    internal sealed record PinnedTls(X509Certificate2 Certificate, HashSet<string> Trusted)
    {
        public void Configure(TlsOptions options)
        {
            options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            // Chain and host-name errors are expected with pinned (often self-signed) certificates;
            // the pin is the trust decision.
            options.RemoteCertificateValidation = (certificate, _, _) => Trusted.Contains(certificate.Thumbprint);
        }
    }
}
