using Kernelsmith.Silo.Dashboard;

namespace Kernelsmith.Dashboard.Tests;

/// <summary>After signing in, the browser goes back only to a page of the dashboard, never to another site.</summary>
public sealed class SignInRedirectTests
{
    [Theory]
    [InlineData("/sweeps/a?model=m", "/sweeps/a?model=m")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void LocalOrHome_ReturnUrl_OnlyAPathOnThisSite(string? returnUrl, string expected) =>
        Assert.Equal(expected, LoginEndpoints.LocalOrHome(returnUrl));
}
