using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Router.WebFront.Auth;

/// <summary>Making keys and ids, checking a presented key's shape, hashing it, and reading it from a request.</summary>
public static class ApiKeyMaterial
{
    public const string KeyPrefix = "rk_";
    public const string IdPrefix = "key_";

    /// <summary>Characters of the secret part: 32 random bytes in base64url.</summary>
    public const int SecretLength = 43;

    /// <summary>Characters of the check that ends a key.</summary>
    public const int ChecksumLength = 6;

    /// <summary>The length of every key this router issues: prefix, secret, check.</summary>
    public const int KeyLength = 3 + SecretLength + ChecksumLength;

    /// <summary>The length of a key issued before keys carried a check (<c>Auth:AcceptLegacyKeys</c>).</summary>
    public const int LegacyKeyLength = 3 + SecretLength;

    /// <summary>
    /// A new key: <c>rk_</c>, 32 random bytes in base64url (256 bits of entropy), and a 6-character
    /// check of both. The check lets a web front refuse a mistyped or made-up key without asking the
    /// cluster; it is no secret (anyone can compute it), so it only filters noise — the per-address
    /// throttle of failed authentications bounds what a deliberate guesser costs.
    /// </summary>
    public static string NewKey()
    {
        var body = KeyPrefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return body + Checksum(body);
    }

    /// <summary>A new key id: <c>key_</c> and 16 random hex digits. Ids are not secret.</summary>
    public static string NewId() => IdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes: the only form in which a key is stored.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Compares a presented secret to the expected one in constant time.</summary>
    public static bool SecretEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>
    /// A short fingerprint of a secret (the first 8 hex digits of its SHA-256), for logs that must say
    /// which secret was used without giving it away.
    /// </summary>
    public static string Fingerprint(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..8];

    /// <summary>
    /// The key presented with <c>Authorization: Bearer &lt;key&gt;</c> or <c>x-api-key: &lt;key&gt;</c>;
    /// null when neither is there, empty when one is there but malformed.
    /// </summary>
    public static string? Presented(HttpRequest request)
    {
        var headers = request.Headers;
        if (headers.Authorization.Count > 0)
        {
            if (headers.Authorization.Count != 1) return "";
            var value = headers.Authorization[0] ?? "";
            const string bearer = "Bearer ";
            return value.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? Clean(value[bearer.Length..]) : "";
        }

        if (headers.TryGetValue("x-api-key", out var apiKey)) return apiKey.Count == 1 ? Clean(apiKey[0] ?? "") : "";
        return null;
    }

    /// <summary>
    /// True for a key of this router's format whose check matches (or, when <paramref name="acceptLegacy"/>,
    /// one of the older format without a check). Checked before any lookup: anything else costs nothing.
    /// </summary>
    public static bool LooksLikeKey(string key, bool acceptLegacy = false)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal)) return false;
        if (key.Length == LegacyKeyLength) return acceptLegacy && IsBase64Url(key.AsSpan(KeyPrefix.Length));
        if (key.Length != KeyLength || !IsBase64Url(key.AsSpan(KeyPrefix.Length))) return false;
        var body = key[..^ChecksumLength];
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Checksum(body)), Encoding.ASCII.GetBytes(key[^ChecksumLength..]));
    }

    /// <summary>The check of a key's prefix and secret: the first 36 bits of their SHA-256, in base64url.</summary>
    internal static string Checksum(string body) => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(body)), 0, 6)[..ChecksumLength];

    private static bool IsBase64Url(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        }

        return true;
    }

    private static string Clean(string value) => value.Trim();
}
