using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Commands;

/// <summary><c>traffic window show</c>: the newest merged alert windows.</summary>
public static class WindowCommand
{
    public static Command Create()
    {
        var last = new Option<int?>("--last") { Description = "How many of the newest windows (1..1440, default 10)" };
        var show = new Command("show", "Newest windows: alert counts by color and rule, maxima");
        show.Options.Add(last);
        var cmd = new Command("window", "Alert windows");
        cmd.Subcommands.Add(ManagementClient.Verb(show, r => r.GetValue(last) is { } n ? $"/windows?last={n}" : "/windows", Render));
        return cmd;
    }

    private static void Render(string body, IAnsiConsole console)
    {
        var windows = ManagementClient.Read(body, ManagementJson.Default.WindowResponseArray);
        var table = new Table().AddColumns("window start", "end", "alerts", "by color", "by rule", "max speed", "max gear", "max rpm", "late");
        foreach (var i in new[] { 2, 5, 6, 7, 8 }) table.Columns[i].RightAligned();
        foreach (var w in windows)
        {
            table.AddRow(
                w.WindowStart.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), w.WindowEnd.ToString("HH:mm", CultureInfo.InvariantCulture),
                w.Alerts.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(Pairs(w.ByColor)), Markup.Escape(Pairs(w.ByRule)),
                w.MaxSpeed.ToString("0.#", CultureInfo.InvariantCulture), w.MaxGear.ToString(CultureInfo.InvariantCulture), w.MaxRpm.ToString(CultureInfo.InvariantCulture),
                w.Late.ToString("N0", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        if (windows.Length == 0) console.MarkupLine("no windows yet (no alerts counted)");
    }

    private static string Pairs(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "-" : string.Join(" ", counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
}
