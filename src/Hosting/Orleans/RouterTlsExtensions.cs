using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace Router.Hosting;

/// <summary>
/// Orleans traffic over mutual TLS (<c>Orleans:Tls:*</c>): silo to silo and client to gateway. Every
/// node presents the certificate at <c>Orleans:Tls:CertificatePath</c> (PKCS#12) and accepts a peer
/// only if the peer presents that same certificate or one listed in <c>Orleans:Tls:TrustedThumbprints</c>
/// — the cluster pins its own certificates, so a self-signed one works and nothing else gets in.
/// Unset path: plain TCP, as before.
/// </summary>
public static class RouterTlsExtensions
{
    public const string SectionName = "Orleans:Tls";

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
