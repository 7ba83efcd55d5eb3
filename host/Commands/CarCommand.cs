using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Commands;

/// <summary><c>traffic car show</c>: one car's actor, its last sample and its alerts.</summary>
public static class CarCommand
{
    public static Command Create()
    {
        var id = new Argument<long>("car_id") { Description = "The car's id (car_id in the telemetry)" };
        var show = new Command("show", "Where the car's actor lives, its last sample and alert counts (creates the actor if the car has none)");
        show.Arguments.Add(id);
        var cmd = new Command("car", "One car's actor");
        cmd.Subcommands.Add(ManagementClient.Verb(show, r => $"/cars/{r.GetValue(id).ToString(CultureInfo.InvariantCulture)}", Render));
        return cmd;
    }

    private static void Render(string body, IAnsiConsole console)
    {
        var car = ManagementClient.Read(body, ManagementJson.Default.CarView);
        var grid = new Table().HideHeaders().AddColumns("field", "value");
        grid.AddRow("car", car.CarId.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("actor", Markup.Escape(car.ActorPath));
        grid.AddRow("shard", Markup.Escape(car.ShardId));
        grid.AddRow("samples", car.HasData ? car.Samples.ToString("N0", CultureInfo.InvariantCulture) : "0 (no data: no event for this car since its actor started)");
        grid.AddRow("alerts", car.Alerts.ToString("N0", CultureInfo.InvariantCulture));
        grid.AddRow("alerts by rule", car.AlertsByRule.Count == 0 ? "-" : Markup.Escape(string.Join(", ", car.AlertsByRule.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))));
        if (car.LastSample is { } s)
        {
            grid.AddRow("last event", Markup.Escape($"{s.EventTime:O} ({s.EventId})"));
            grid.AddRow("last values", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"speed {s.Speed} km/h, rpm {s.Rpm}, gear {s.Gear} (expected {s.ExpectedGear})")));
            grid.AddRow("driver / car", Markup.Escape($"{s.DriverId?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} / {s.BrandName ?? "?"} {s.ModelName ?? ""} {s.ColorName ?? ""}".TrimEnd()));
        }
        else
        {
            grid.AddRow("last event", "no data");
        }

        grid.AddRow("reference data", Markup.Escape(car.ReferenceVersion));
        console.Write(grid);
    }
}
