using Router.WebFront.Auth;

namespace Router.WebFront.Tests.Auth;

public sealed class ApiKeyMaterialTests
{
    [Fact]
    public void New_keys_and_ids_have_their_prefix_and_never_repeat()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeyMaterial.NewKey()).ToList();
        Assert.All(keys, k => Assert.True(ApiKeyMaterial.LooksLikeKey(k), k));
        Assert.All(keys, k => Assert.Matches("^rk_[A-Za-z0-9_-]{49}$", k));
        Assert.Equal(keys.Count, keys.Distinct().Count());

        var id = ApiKeyMaterial.NewId();
        Assert.Matches("^key_[0-9a-f]{16}$", id);
    }

    [Fact]
    public void The_stored_hash_is_lower_case_sha256_hex()
    {
        // SHA-256 of "abc", a published test vector.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyMaterial.Hash("abc"));
    }

    [Fact]
    public void The_check_is_the_first_36_bits_of_the_sha256_of_prefix_and_secret()
    {
        // sha256sum of "rk_" followed by 43 'A's starts f0 95 59 e7 66 f6: in base64url "8JVZ52b2".
        var body = "rk_" + new string('A', 43);
        const string expected = "8JVZ52";
        Assert.True(ApiKeyMaterial.LooksLikeKey(body + expected));
        Assert.False(ApiKeyMaterial.LooksLikeKey(body + "8JVZ53"));
    }

    [Fact]
    public void Secrets_compare_equal_only_when_identical()
    {
        Assert.True(ApiKeyMaterial.SecretEquals("admin-secret-123", "admin-secret-123"));
        Assert.False(ApiKeyMaterial.SecretEquals("admin-secret-124", "admin-secret-123"));
        Assert.False(ApiKeyMaterial.SecretEquals("", "admin-secret-123"));
    }

    [Fact]
    public void Any_changed_character_breaks_the_check()
    {
        var key = ApiKeyMaterial.NewKey();
        for (var i = ApiKeyMaterial.KeyPrefix.Length; i < key.Length; i++)
        {
            var changed = key.ToCharArray();
            changed[i] = changed[i] == 'a' ? 'b' : 'a';
            Assert.False(ApiKeyMaterial.LooksLikeKey(new string(changed)), $"a key changed at {i} still passed its check");
        }
    }

    [Theory]
    [InlineData("rk_abc")]
    [InlineData("rk_")]
    [InlineData("sk_abc")]
    public void Short_or_foreign_keys_do_not_look_like_keys(string key)
    {
        Assert.False(ApiKeyMaterial.LooksLikeKey(key));
        Assert.False(ApiKeyMaterial.LooksLikeKey(key, acceptLegacy: true));
    }

    [Fact]
    public void A_key_of_the_format_without_a_check_is_accepted_only_when_legacy_keys_are()
    {
        // The format issued before keys carried a check: rk_ and 43 base64url characters.
        var legacy = "rk_" + Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(new byte[32]);
        Assert.Equal(46, legacy.Length);
        Assert.False(ApiKeyMaterial.LooksLikeKey(legacy));
        Assert.True(ApiKeyMaterial.LooksLikeKey(legacy, acceptLegacy: true));
        Assert.False(ApiKeyMaterial.LooksLikeKey(legacy[..^1] + "!", acceptLegacy: true));
    }

    [Fact]
    public void A_fingerprint_names_a_secret_without_giving_it_away()
    {
        Assert.Equal("ba7816bf", ApiKeyMaterial.Fingerprint("abc"));
    }

    [Theory]
    [InlineData("Authorization", "Bearer rk_one", "rk_one")]
    [InlineData("Authorization", "bearer   rk_one  ", "rk_one")]
    [InlineData("Authorization", "Basic cms6b25l", "")]
    [InlineData("Authorization", "Bearer", "")]
    [InlineData("x-api-key", " rk_two ", "rk_two")]
    public void The_presented_key_comes_from_a_bearer_token_or_x_api_key(string header, string value, string expected)
    {
        Assert.Equal(expected, ApiKeyMaterial.Presented(TestRequests.WithHeaders((header, [value]))));
    }

    [Fact]
    public void No_header_presents_no_key_and_a_repeated_header_a_malformed_one()
    {
        Assert.Null(ApiKeyMaterial.Presented(TestRequests.WithHeaders()));
        Assert.Equal("", ApiKeyMaterial.Presented(TestRequests.WithHeaders(("Authorization", ["Bearer rk_a", "Bearer rk_b"]))));
        Assert.Equal("", ApiKeyMaterial.Presented(TestRequests.WithHeaders(("x-api-key", ["rk_a", "rk_b"]))));
    }

    [Fact]
    public void Authorization_wins_over_x_api_key()
    {
        var request = TestRequests.WithHeaders(("Authorization", ["Bearer rk_auth"]), ("x-api-key", ["rk_other"]));
        Assert.Equal("rk_auth", ApiKeyMaterial.Presented(request));
    }
}
