using Router.WebFront.Auth;

namespace Router.WebFront.Tests.Auth;

public sealed class ApiKeyMaterialTests
{
    [Fact]
    public void New_keys_and_ids_have_their_prefix_and_never_repeat()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeyMaterial.NewKey()).ToList();
        Assert.All(keys, k => Assert.True(ApiKeyMaterial.LooksLikeKey(k), k));
        Assert.All(keys, k => Assert.Equal(ApiKeyMaterial.KeyPrefix.Length + 43, k.Length));
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
    public void Secrets_compare_equal_only_when_identical()
    {
        Assert.True(ApiKeyMaterial.SecretEquals("admin-secret-123", "admin-secret-123"));
        Assert.False(ApiKeyMaterial.SecretEquals("admin-secret-124", "admin-secret-123"));
        Assert.False(ApiKeyMaterial.SecretEquals("", "admin-secret-123"));
    }

    [Theory]
    [InlineData("rk_abc", true)]
    [InlineData("rk_", false)]
    [InlineData("RK_abc", false)]
    [InlineData("sk_abc", false)]
    public void Only_rk_keys_of_a_sane_length_look_like_keys(string key, bool expected)
    {
        Assert.Equal(expected, ApiKeyMaterial.LooksLikeKey(key));
    }

    [Fact]
    public void A_key_longer_than_any_issued_does_not_look_like_one()
    {
        Assert.True(ApiKeyMaterial.LooksLikeKey("rk_" + new string('a', 125)));
        Assert.False(ApiKeyMaterial.LooksLikeKey("rk_" + new string('a', 126)));
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
