using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using TrafficActors.Rules;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Commands;

/// <summary>
/// <c>traffic rules show|set</c>: the detection rules in force on a node, and a new version of them. <c>set</c> sends
/// the document to a node's management endpoint, which validates it and stores it where every node watches (the
/// reference bucket, or the rules file); each node then swaps it in without a restart.
/// </summary>
public static class RulesCommand
{
    public static Command Create()
    {
        var cmd = new Command("rules", "The detection rules: the version in force, and a new version without a restart (set needs TRAFFIC_ADMIN_TOKEN)");
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(Set());
        return cmd;
    }

    private static Command Show()
    {
        var document = new Option<bool>("--document") { Description = "Print only the complete rules document in force (JSON), ready to edit and send back with `traffic rules set`" };
        var show = new Command("show", "Version in force on the node, where it came from, a rejected newer document, and every threshold. Exit codes: 0 ok, 2 bad options, 3 node unreachable");
        show.Options.Add(document);
        return ManagementClient.Verb(show, _ => "/rules", r => r.GetValue(document) ? PrintDocument : Render);
    }

    private static Command Set()
    {
        var file = new Argument<FileInfo>("file") { Description = "The rules document: a .json file, or a .conf file in HOCON" };
        var node = ManagementClient.NodeOption();
        var cmd = new Command("set", "Validate a rules document on a node and store it where every node watches; each node puts it in force within traffic.live-rules.poll-interval. Needs TRAFFIC_ADMIN_TOKEN. Exit codes: 0 stored (or already there), 1 error, 2 invalid document or file, 3 node unreachable, 4 no or wrong admin token");
        cmd.Arguments.Add(file);
        cmd.Options.Add(node);
        cmd.SetAction(async (r, ct) =>
        {
            const string verb = "traffic rules set";
            var f = r.GetValue(file)!;
            var json = RuleDocument.IsJson(f.Name);
            if (!json && !RuleDocument.IsHocon(f.Name))
            {
                await System.Console.Error.WriteLineAsync($"{verb}: {f.Name}: a rules document is a .json or a .conf (HOCON) file");
                return ExitCodes.Usage;
            }

            string text;
            try
            {
                text = await File.ReadAllTextAsync(f.FullName, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await System.Console.Error.WriteLineAsync($"{verb}: cannot read {f.FullName}: {ex.Message}");
                return ExitCodes.Usage;
            }

            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(AdminToken.EnvironmentVariable)))
            {
                await System.Console.Error.WriteLineAsync($"{verb}: refused: {AdminToken.EnvironmentVariable} is not set; changing the rules, like the verbs that change the cluster, needs it");
                return ExitCodes.Refused;
            }

            using var content = new StringContent(text, Encoding.UTF8, json ? "application/json" : "text/plain");
            var (code, body, status) = await ManagementClient.SendAsync(r.GetValue(node), HttpMethod.Put, $"/rules?name={Uri.EscapeDataString(f.Name)}", content, ct);
            // The node refused the document itself (its error, with file and line or field, is already on stderr).
            if (status is HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.RequestEntityTooLarge) return ExitCodes.Usage;
            if (code != ExitCodes.Ok) return code;
            var set = ManagementClient.Read(body, ManagementJson.Default.RulesSetView);
            System.Console.Out.WriteLine(set.Changed
                ? $"rules version {set.Version} stored in {set.Target}; every node puts it in force at its next check"
                : $"rules version {set.Version} is already in {set.Target}; nothing changed");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void PrintDocument(string body, IAnsiConsole _) =>
        System.Console.Out.WriteLine(ManagementClient.Read(body, ManagementJson.Default.RulesView).Document.GetRawText());

    private static void Render(string body, IAnsiConsole console)
    {
        var rules = ManagementClient.Read(body, ManagementJson.Default.RulesView);
        var head = new Table().HideHeaders().AddColumns("field", "value");
        head.AddRow("version", Markup.Escape(rules.Version));
        head.AddRow("source", Markup.Escape(rules.Source));
        head.AddRow("since", rules.Since.ToString("O", CultureInfo.InvariantCulture));
        head.AddRow("rejected", rules.Error is { } error ? $"[red]{Markup.Escape(error)}[/]" : "-");
        console.Write(head);

        var table = new Table().AddColumns("scope", "rule", "enabled", "thresholds");
        var doc = rules.Document;
        var all = doc.GetProperty("rules");
        AddRules(table, "all cars", all, null);
        foreach (var model in doc.GetProperty("models").EnumerateObject()) AddRules(table, model.Name, model.Value, all);
        console.Write(table);
    }

    /// <summary>One row per rule; a model's rows only where its rule differs from the one for all cars.</summary>
    private static void AddRules(Table table, string scope, JsonElement rules, JsonElement? all)
    {
        foreach (var rule in rules.EnumerateObject())
        {
            if (all is { } a && a.GetProperty(rule.Name).GetRawText() == rule.Value.GetRawText()) continue;
            var enabled = rule.Value.GetProperty("enabled").GetBoolean();
            var thresholds = string.Join(", ", rule.Value.EnumerateObject().Where(p => p.Name != "enabled").Select(p => $"{p.Name} {p.Value.ToString()}"));
            table.AddRow(Markup.Escape(scope), rule.Name, enabled ? "yes" : "[grey]no[/]", Markup.Escape(thresholds));
        }
    }
}
