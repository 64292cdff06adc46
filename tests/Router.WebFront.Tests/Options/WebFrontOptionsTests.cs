using Router.WebFront.Options;

namespace Router.WebFront.Tests.Options;

public sealed class WebFrontOptionsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9464")]
    [InlineData("http://[::1]:9464")]
    [InlineData("http://localhost:0")]
    [InlineData("")]
    [InlineData(null)]
    public void Good_management_urls_pass(string? url) =>
        Assert.True(new WebFrontOptionsValidator().Validate(null, new WebFrontOptions { ManagementUrl = url }).Succeeded);

    [Theory]
    [InlineData("127.0.0.1:9464")]
    [InlineData("/metrics")]
    [InlineData("https://127.0.0.1:9464")]
    [InlineData("http://127.0.0.1:9464/metrics")]
    public void Bad_management_urls_fail_naming_the_setting(string url)
    {
        var result = new WebFrontOptionsValidator().Validate(null, new WebFrontOptions { ManagementUrl = url });
        Assert.True(result.Failed);
        Assert.Contains("WebFront:ManagementUrl", result.FailureMessage);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    public void A_body_read_timeout_that_is_not_positive_fails_naming_the_setting(string timeout)
    {
        var result = new WebFrontOptionsValidator().Validate(null, new WebFrontOptions { BodyReadTimeout = TimeSpan.Parse(timeout) });
        Assert.True(result.Failed);
        Assert.Contains("WebFront:BodyReadTimeout", result.FailureMessage);
    }

    [Fact]
    public void The_defaults_pass_and_keep_metrics_on_loopback()
    {
        var defaults = new WebFrontOptions();
        Assert.True(new WebFrontOptionsValidator().Validate(null, defaults).Succeeded);
        Assert.Equal("http://127.0.0.1:9464", defaults.ManagementUrl);
        Assert.Equal(TimeSpan.FromSeconds(10), defaults.BodyReadTimeout);
    }
}
