using Microsoft.Playwright;

namespace Kernelsmith.Dashboard.Tests;

/// <summary>One <c>run --dashboard</c> process and one headless Debian chromium driven by Playwright, shared by the tests.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    public DashboardRun Run { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        await Run.InitializeAsync();
        // Playwright's driver (node, from the NuGet package) runs offline; the browser is Debian's, never a download.
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A fresh browser context (no cookie) at <paramref name="width"/> px, its pages' console errors collected.</summary>
    public async Task<(IBrowserContext Context, List<string> Errors)> NewContextAsync(int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        var errors = new List<string>();
        context.Page += (_, page) =>
        {
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    lock (errors)
                    {
                        errors.Add($"{page.Url}: console.error: {message.Text}");
                    }
                }
            };
            page.PageError += (_, error) =>
            {
                lock (errors)
                {
                    errors.Add($"{page.Url}: uncaught: {error}");
                }
            };
        };
        return (context, errors);
    }

    /// <summary>A full-page PNG of <paramref name="page"/> under TestResults/dashboard-screenshots/.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Repository.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Screenshots, $"{name}.png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Run.DisposeAsync();
    }
}
