using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Router.WebFront.Auth;

/// <summary>Making keys and ids, hashing presented keys, and reading them from a request.</summary>
public static class ApiKeyMaterial
{
    public const string KeyPrefix = "rk_";
    public const string IdPrefix = "key_";

    /// <summary>Longer than any key this router makes; anything longer is refused unhashed.</summary>
    private const int MaxKeyLength = 128;

    /// <summary>A new key: <c>rk_</c> and 32 random bytes in base64url (256 bits of entropy).</summary>
    public static string NewKey() => KeyPrefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new key id: <c>key_</c> and 16 random hex digits. Ids are not secret.</summary>
    public static string NewId() => IdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes: the only form in which a key is stored.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Compares a presented secret to the expected one in constant time.</summary>
    public static bool SecretEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

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

    /// <summary>True for something shaped like a key this router issues (checked before any lookup).</summary>
    public static bool LooksLikeKey(string key) => key.Length is > 3 and <= MaxKeyLength && key.StartsWith(KeyPrefix, StringComparison.Ordinal);

    private static string Clean(string value) => value.Trim();
}
