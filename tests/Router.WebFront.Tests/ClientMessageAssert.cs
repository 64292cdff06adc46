namespace Router.WebFront.Tests;

/// <summary>Checks that a message meant for clients gives away no internal address.</summary>
internal static class ClientMessageAssert
{
    public static void NamesNoAddress(string message, Uri internalUrl)
    {
        Assert.DoesNotContain("http://", message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(internalUrl.Host, message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain($":{internalUrl.Port}", message);
    }
}
