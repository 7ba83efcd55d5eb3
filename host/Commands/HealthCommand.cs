using System.CommandLine;
using Spectre.Console;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Commands;

/// <summary>
/// <c>traffic health [--live]</c>: exit 0 when the node is ready (<c>/ready</c> answers 200), or only alive with
/// <c>--live</c> (<c>/healthz</c>). Container images have no curl or wget, so the image's HEALTHCHECK uses this verb.
/// </summary>
public static class HealthCommand
{
    public static Command Create()
    {
        var live = new Option<bool>("--live") { Description = "Only check that the node serves requests (/healthz) instead of readiness (/ready)" };
        var cmd = new Command("health", "Exit 0 when the node is ready (Up, reference data loaded; on ingest nodes Kafka answers and partitions are assigned; on windows nodes the journal database answers), 1 when it is not (the failed checks on stderr), 3 when it does not answer");
        cmd.Options.Add(live);
        return ManagementClient.Verb(cmd, r => r.GetValue(live) ? "/healthz" : "/ready", Render);
    }

    private static void Render(string body, IAnsiConsole console)
    {
        var report = ManagementClient.Read(body, ManagementJson.Default.HealthReport);
        console.MarkupLine(Markup.Escape(report.Status));
        foreach (var c in report.Checks)
            console.MarkupLine($"  {Markup.Escape(c.Name)}: {Markup.Escape(c.Detail)}");
    }
}
