using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Kernelsmith.Dashboard.Tests;

/// <summary>Nothing of the dashboard without signing in: pages send the browser to the login, data and streams answer 401.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SignInTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Unauthenticated_SeesOnlyTheLogin_AndDataAndStreamsAnswer401()
    {
        var (context, errors) = await fixture.NewContextAsync();
        await using var _ = context;
        var page = await context.NewPageAsync();

        await page.GotoAsync(fixture.Run.BaseUrl + "/cluster");

        Assert.Matches(new Regex("/login\\?ReturnUrl=%2Fcluster$"), page.Url);
        Assert.Equal(1, await page.GetByLabel("Token").CountAsync());
        // Signed out, the page links to nothing but itself: no sweep, agent or figure is on it.
        Assert.Equal(0, await page.Locator("nav ul").CountAsync());
        Assert.Equal(0, await page.Locator("table").CountAsync());
        await DashboardFixture.ScreenshotAsync(page, "login");

        await page.GetByLabel("Token").FillAsync("not-a-token-this-cluster-knows");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not one this cluster knows");

        foreach (var path in new[] { "/events/sweeps", "/events/cluster", "/events/sweeps/dashboard" })
        {
            var response = await context.APIRequest.GetAsync(fixture.Run.BaseUrl + path, new() { MaxRedirects = 0 });
            Assert.Equal(401, response.Status);
        }

        foreach (var path in new[] { "/", "/sweeps/dashboard", "/orleans/" })
        {
            var response = await context.APIRequest.GetAsync(fixture.Run.BaseUrl + path, new() { MaxRedirects = 0 });
            Assert.Equal(302, response.Status);
            Assert.Contains("/login?ReturnUrl=", response.Headers["location"], StringComparison.Ordinal);
        }

        var cancel = await context.APIRequest.PostAsync(fixture.Run.BaseUrl + "/sweeps/dashboard/cancel", new() { MaxRedirects = 0 });
        Assert.Equal(401, cancel.Status);
        Assert.Empty(errors);
    }
}
