using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Tests.Pipeline;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Dashboard;

/// <summary>
/// The page at <c>/</c> in Debian's Chromium (driven by Playwright, no browser download): it shows the figures of a
/// known dataset in every panel and applies a live push within a second of the events being processed; the header
/// follows the rules version in force, and a rejected rules document, without a reload; a car's row opens its
/// drill-down panel.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
[Collection(DashboardCollection.Name)]
public sealed class DashboardPageTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private const string SystemNode = "/usr/bin/node";
    private const int Events = 300;
    private const int LiveEvents = 60;
    private const int LiveSeed = 11;
    // The page's raw-data table and pushes carry this many newest alerts (traffic.dashboard.latest-alerts).
    private const int LatestAlerts = 50;
    // Tall enough that the full-page screenshot shows every panel at a readable desktop width.
    private static readonly ViewportSize Viewport = new() { Width = 1400, Height = 1500 };
    // The header strip, for a close-up of the rules marker.
    private const int HeaderHeight = 60;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Page_shows_the_dataset_and_applies_live_pushes()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (test.sh does)");
        // Playwright's driver runs on the system Node.js rather than the copy in the package.
        if (File.Exists(SystemNode)) Environment.SetEnvironmentVariable("PLAYWRIGHT_NODEJS_PATH", SystemNode);

        await using var node = await DashboardTestNode.StartAsync();
        var start = DashboardTestNode.DatasetStart();
        var data = Dataset.Create(Events, start);
        var expected = ExpectedFigures.Of(data);
        await node.ProduceAsync(data);
        await WaitForApiTotal(node.Node.BaseUrl, expected.TotalViolations);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = Viewport });
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(node.Node.BaseUrl + "/");
        await page.WaitForSelectorAsync("#conn-status[data-state=connected]");
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates || 0) >= 1");

        // KPI cards.
        Assert.Equal(Count(expected.TotalViolations), await Text(page, "#kpi-total"));
        Assert.Equal(Count(expected.EngineStress), await Text(page, "#kpi-engine"));
        Assert.Equal($"{expected.Newest.Speed.ToString(CultureInfo.InvariantCulture)} km/h", await Text(page, "#kpi-speed"));
        foreach (var (rule, count) in expected.ByRule)
        {
            Assert.Equal(Count(count), await Text(page, $"#kpi-rules [data-rule={rule}] .value"));
        }

        // Gauges and the latest critical event.
        Assert.Equal(expected.Newest.Speed, await page.EvaluateAsync<double>("() => document.getElementById('gauge-speed').data[0].value"));
        Assert.Equal(expected.Newest.Rpm, await page.EvaluateAsync<int>("() => document.getElementById('gauge-rpm').data[0].value"));
        Assert.Equal(expected.Newest.CarId.ToString(CultureInfo.InvariantCulture), await Text(page, "#crit-car"));

        // The 30-minute chart holds every alert; the table the newest ones, newest first; one cluster member, Up.
        Assert.Equal(expected.TotalViolations, await page.EvaluateAsync<long>("() => document.getElementById('chart-volume').data[0].y.reduce((a, b) => a + b, 0)"));
        Assert.Equal(Math.Min(LatestAlerts, expected.TotalViolations), await page.Locator("#alerts-table tbody tr").CountAsync());
        Assert.Equal(expected.Newest.CarId.ToString(CultureInfo.InvariantCulture), await Text(page, "#alerts-table tbody tr:first-child td:nth-child(2)"));
        Assert.Equal(1, await page.Locator("#cluster tbody tr").CountAsync());
        Assert.Equal("Up", await Text(page, "#cluster tbody tr td:nth-child(3)"));
        Assert.True(await page.EvaluateAsync<int>("() => document.getElementById('chart-map').data[0].x.length") > 0, "alert locations plotted");

        // No rules document: the node's HOCON rules serve, under the version name "default".
        Assert.Equal(RuleSet.DefaultVersion, await Text(page, "#rules-version"));
        Assert.Contains(RuleSetActor.DefaultSource, await page.GetAttributeAsync("#rules", "title"));
        Assert.True(await page.Locator("#rules-warning").IsHiddenAsync(), "no rejection marker while no document was rejected");

        // Live: more events; the page shows them without a reload (pushed). How soon is reported, not asserted:
        // timings belong to benchmarks, and a loaded CI machine would make a bound flaky.
        var live = Dataset.Create(LiveEvents, start, LiveSeed);
        var after = ExpectedFigures.Of(data, live);
        var processedTarget = data.Valid.Count + live.Valid.Count;
        await node.ProduceAsync(live);
        await Support.Poll.Until(() => node.Node.Metrics.Processed >= processedTarget, Deadline, () => $"{processedTarget} events processed", Poll);
        Assert.Equal(processedTarget, node.Node.Metrics.Processed);
        var processed = Stopwatch.StartNew();
        await page.WaitForFunctionAsync(
            "total => document.getElementById('kpi-total').textContent === total",
            Count(after.TotalViolations),
            new PageWaitForFunctionOptions { Timeout = (float)Deadline.TotalMilliseconds, PollingInterval = (float)Poll.TotalMilliseconds });
        var latency = processed.Elapsed;
        output.WriteLine($"live update {latency.TotalMilliseconds:0} ms after processing");

        var screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");
        Assert.Empty(errors);

        // After the live figures were checked, so the new thresholds judge none of the dataset's events.
        await LiveRules(page, node.RulesFile);
        Assert.Empty(errors);

        await DrillDown(page, node.Node.BaseUrl, data, live, errors);
    }

    /// <summary>
    /// A rules document written to the node's watched file is in force within moments, and the next push shows its
    /// version in the header; a broken newer document is refused, the version stays and the warning marker carries
    /// the reason.
    /// </summary>
    private async Task LiveRules(IPage page, string rulesFile)
    {
        const string Version = "v2";
        const string Accepted = """{"version":"v2","rules":{"overspeed":{"speed-above":100}}}""";
        const string Broken = """{"version":"v3","rules":{"overspeed":{"speed-abov":100}}}""";
        var loadedAt = await page.EvaluateAsync<double>("() => performance.timeOrigin");
        await File.WriteAllTextAsync(rulesFile, Accepted);
        var written = Stopwatch.StartNew();
        await WaitForText(page, "#rules-version", Version);
        output.WriteLine($"rules {Version} shown {written.ElapsedMilliseconds} ms after the file was written");
        Assert.Contains(rulesFile, await page.GetAttributeAsync("#rules", "title"));
        Assert.True(await page.Locator("#rules-warning").IsHiddenAsync(), "no rejection marker for an accepted document");

        await File.WriteAllTextAsync(rulesFile, Broken);
        await page.Locator("#rules-warning").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = (float)Deadline.TotalMilliseconds });
        Assert.Equal(Version, await Text(page, "#rules-version"));
        Assert.Equal("rejected", await page.GetAttributeAsync("#rules", "data-state"));
        Assert.Contains("rules.overspeed.speed-abov", await page.GetAttributeAsync("#rules-warning", "title"));
        var screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard-rules-rejected.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, Clip = new Clip { X = 0, Y = 0, Width = Viewport.Width, Height = HeaderHeight } });
        output.WriteLine($"screenshot: {screenshot}");
        // Pushed, not reloaded: the document the page was loaded as is the same one.
        Assert.Equal(loadedAt, await page.EvaluateAsync<double>("() => performance.timeOrigin"));
    }

    /// <summary>
    /// A row of the alerts table opens its car's panel at /cars/{id} with the car's figures, then a push; the deep
    /// link opens it directly, and an unknown car's link says so.
    /// </summary>
    private async Task DrillDown(IPage page, string baseUrl, Dataset data, Dataset live, List<string> errors)
    {
        var fleet = SeedFleet.Snapshot(20);
        var rows = await page.EvaluateAsync<long[]>("() => [...document.querySelectorAll('#alerts-table tbody tr')].map(r => Number(r.dataset.car))");
        var car = rows.First(c => fleet.Lookup(c) is not null);
        var id = car.ToString(CultureInfo.InvariantCulture);
        var events = data.Valid.Concat(live.Valid).Where(e => e.CarId == car).ToList();
        var info = fleet.Lookup(car)!;

        await page.Locator($"#alerts-table tbody tr[data-car='{id}']").First.ClickAsync();
        await page.WaitForSelectorAsync("#car-panel[data-state=loaded]");
        Assert.EndsWith($"/cars/{id}", page.Url);
        Assert.Equal(id, await Text(page, "#car-id"));
        Assert.Equal($"{info.BrandName} {info.ModelName}", await Text(page, "#car-model"));
        Assert.Equal(info.ColorName, await Text(page, "#car-color"));
        Assert.Equal(Count(events.Count), await Text(page, "#car-samples"));
        foreach (var rule in events.SelectMany(Dataset.ExpectedViolations).GroupBy(r => r, StringComparer.Ordinal))
            Assert.Equal(Count(rule.Count()), await Text(page, $"#car-rules [data-rule={rule.Key}] td:nth-child(2)"));
        Assert.Equal(events.Count, await page.EvaluateAsync<int>("() => document.getElementById('car-trace').data[0].x.length"));
        // Subscribed over the hub: the node pushes the car while the panel is open.
        await page.WaitForFunctionAsync(
            "() => Number(document.getElementById('car-panel').dataset.updates || 0) >= 1", null,
            new PageWaitForFunctionOptions { Timeout = (float)Deadline.TotalMilliseconds, PollingInterval = (float)Poll.TotalMilliseconds });
        var screenshot = Path.Combine(AppContext.BaseDirectory, "car-panel.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        output.WriteLine($"car {id}: {events.Count} samples; screenshot: {screenshot}");

        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#car-panel[data-state=loaded]");
        Assert.Equal(Count(events.Count), await Text(page, "#car-samples"));

        await page.GotoAsync(baseUrl + "/cars/9999998");
        await page.WaitForSelectorAsync("#car-panel[data-state=unknown]");
        Assert.Contains("car 9999998 is not in the reference data", await Text(page, "#car-message"));
        // The browser reports the 404 itself, as a console error; nothing else went wrong.
        Assert.All(errors, e => Assert.Contains("404", e));
    }

    private static Task WaitForText(IPage page, string selector, string text) =>
        page.WaitForFunctionAsync(
            "([selector, text]) => document.querySelector(selector).textContent === text",
            new[] { selector, text },
            new PageWaitForFunctionOptions { Timeout = (float)Deadline.TotalMilliseconds, PollingInterval = (float)Poll.TotalMilliseconds });

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static async Task<string> Text(IPage page, string selector) => (await page.Locator(selector).First.TextContentAsync())?.Trim() ?? "";

    private static async Task WaitForApiTotal(string baseUrl, long total)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        await Support.Poll.Until(
            async () => (await http.GetFromJsonAsync<JsonElement[]>("/api/windows?last=30"))!.Sum(w => w.GetProperty("alerts").GetInt64()) == total,
            Deadline, $"the API to show {total} alerts", Poll * 10);
    }
}
