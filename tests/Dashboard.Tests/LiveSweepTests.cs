using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Kernelsmith.Dashboard.Tests;

/// <summary>
/// A researcher's visit, in one browser session against a running sweep: sign in with the printed URL, watch the counts
/// advance without reloading, open a repaired experiment, look at the cluster and the Orleans Dashboard, then cancel
/// the sweep. Every page is saved as a screenshot at 1280 px, and no page may log an error.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class LiveSweepTests(DashboardFixture fixture)
{
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task SignedIn_WatchesCountsAdvance_OpensARepairedExperiment_AndCancelsTheSweep()
    {
        var (context, errors) = await fixture.NewContextAsync();
        await using var _ = context;
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)s_patience.TotalMilliseconds);
        Assertions.SetDefaultExpectTimeout((float)s_patience.TotalMilliseconds);

        // The printed URL signs in once and drops the token from the address.
        await page.GotoAsync(fixture.Run.LoginUrl);
        Assert.Equal(fixture.Run.BaseUrl + "/", page.Url);
        var sweep = page.Locator("#sweeps tr").Filter(new() { HasText = "dashboard" });
        await Assertions.Expect(sweep).ToHaveCountAsync(1);

        // The counts advance while the page stays the same document: no reload.
        await page.EvaluateAsync("() => { window.kernelsmithMarker = 'same page'; }");
        var before = await RecordedAsync(page);
        await page.WaitForFunctionAsync($"() => Number(document.querySelector('#sweeps [data-recorded]').dataset.recorded) > {before}", null,
            new() { Timeout = (float)s_patience.TotalMilliseconds, PollingInterval = 250 });
        Assert.Equal("same page", await page.EvaluateAsync<string>("() => window.kernelsmithMarker"));
        await Assertions.Expect(page.Locator("#live-status")).ToContainTextAsync("Live");
        await DashboardFixture.ScreenshotAsync(page, "sweeps");

        // The sweep's page: the matrix fills in; the repaired mutant experiments appear under the filters.
        await sweep.GetByRole(AriaRole.Link, new() { Name = "dashboard" }).ClickAsync();
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#matrix .count')].some(c => !c.textContent.startsWith('0 /'))", null,
            new() { Timeout = (float)s_patience.TotalMilliseconds, PollingInterval = 250 });
        var sweepUrl = page.Url;
        // The mutant's missing header is repaired in round 2 (where the kernel's solution has a header to remove).
        await page.GotoAsync(sweepUrl + "?model=mutant&verdict=correct");
        await Assertions.Expect(Repaired(page)).ToBeVisibleAsync();
        await page.GotoAsync(sweepUrl);
        await Assertions.Expect(page.Locator("#plots img").First).ToBeVisibleAsync();
        await DashboardFixture.ScreenshotAsync(page, "sweep");

        // A finished experiment: its two rounds, the diff that repaired it, its logs and its trace id.
        await page.GotoAsync(sweepUrl + "?model=mutant&verdict=correct");
        await Repaired(page).ClickAsync();
        // The page is complete once loaded: no need for the live patience here.
        var loaded = new LocatorAssertionsToContainTextOptions { Timeout = 30_000 };
        var rounds = page.Locator("#rounds section.round");
        await Assertions.Expect(rounds).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Assertions.Expect(rounds.Nth(0).Locator("h3")).ToContainTextAsync("build_error", loaded);
        await Assertions.Expect(rounds.Nth(1).Locator("h3")).ToContainTextAsync("correct", loaded);
        await Assertions.Expect(rounds.Nth(1).Locator("pre.diff")).ToContainTextAsync("+#include", loaded);
        await Assertions.Expect(rounds.Nth(0).Locator("details.build-log pre")).ToContainTextAsync("error", loaded);
        await Assertions.Expect(rounds.Nth(0).Locator("details.feedback pre")).Not.ToBeEmptyAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(rounds.Nth(1).Locator("details.run-log pre")).Not.ToBeEmptyAsync(new() { Timeout = 30_000 });
        Assert.Matches(TraceId(), await page.Locator("#trace-id").InnerTextAsync());
        await DashboardFixture.ScreenshotAsync(page, "experiment");

        await page.GotoAsync(fixture.Run.BaseUrl + "/cluster");
        await Assertions.Expect(page.Locator("#agents-title + .scroll caption, #cluster caption").Filter(new() { HasText = "Pool embedded" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#cluster")).ToContainTextAsync("Active");
        await DashboardFixture.ScreenshotAsync(page, "cluster");

        await page.GotoAsync(fixture.Run.BaseUrl + "/orleans/");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("SweepGrain", new() { Timeout = 60_000 });
        await DashboardFixture.ScreenshotAsync(page, "orleans");

        // Cancel from the Sweeps page: the sweep stops short of its total and the run's watch ends.
        await page.GotoAsync(fixture.Run.BaseUrl + "/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel sweep dashboard" }).ClickAsync();
        await Assertions.Expect(sweep.Locator("td[id$='-state']")).ToHaveTextAsync("cancelled");
        await fixture.Run.WaitForLineAsync(line => line.StartsWith("The sweep has ended", StringComparison.Ordinal), s_patience);
        Assert.True(await RecordedAsync(page) < 120, "the sweep was cancelled before all 120 experiments recorded");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume sweep dashboard" })).ToBeVisibleAsync();
        await DashboardFixture.ScreenshotAsync(page, "sweeps-cancelled");

        var phone = await context.NewPageAsync();
        await phone.SetViewportSizeAsync(390, 844);
        await phone.GotoAsync(sweepUrl);
        await Assertions.Expect(phone.Locator("#matrix table")).ToBeVisibleAsync();
        // Nothing but the tables' own scrolling regions is wider than the phone's screen.
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "the sweep page scrolls sideways at 390 px");
        await DashboardFixture.ScreenshotAsync(phone, "sweep-390px");

        Assert.Empty(errors);
    }

    /// <summary>The link to the first experiment in the table that took two rounds.</summary>
    private static ILocator Repaired(IPage page) =>
        page.Locator("#experiments tbody tr").Filter(new() { Has = page.Locator("td.num", new() { HasTextRegex = new Regex("^2$") }) }).First.Locator("a");

    private static async Task<int> RecordedAsync(IPage page) =>
        int.Parse(await page.Locator("#sweeps [data-recorded]").First.GetAttributeAsync("data-recorded") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex TraceId();
}
