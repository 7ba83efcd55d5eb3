using System.Net;
using System.Text;
using System.Text.Json;
using TrafficActors.Host.Commands;
using TrafficActors.Host.Node;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using TrafficActors.Web.Management;
using Xunit;

namespace TrafficActors.Tests.Commands;

/// <summary>
/// <c>traffic rules show|set</c> as real processes against a live all-in-one node that reads its rules from a file
/// (S3 off): the version in force, a new version stored and put in force, and every refusal with its exit code and
/// reason, after which the version in force and the stored file are unchanged.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class RulesVerbTests
{
    private const string Token = "rules-admin-token";
    private const int MaxBytes = 4096;
    private static readonly string NodeHocon = $"""
        traffic.management.port = 0
        traffic.live-rules.poll-interval = 200ms
        traffic.live-rules.max-bytes = {MaxBytes}
        """;

    [Fact]
    public async Task Show_and_set_put_a_new_version_in_force_and_refuse_bad_documents_changing_nothing()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, NodeHocon) with { AdminToken = new AdminToken(Token) });
        var mgmt = node.ManagementUrl;
        var rulesFile = Path.Combine(dir.Path, "rules.json");

        var show = await Run(ExitCodes.Ok, null, "rules", "show", "--node", mgmt);
        Assert.Contains("default", show.Stdout);
        Assert.Contains("traffic.rules (HOCON)", show.Stdout);
        Assert.Contains("speed-above 120", show.Stdout);
        var document = JsonDocument.Parse((await Run(ExitCodes.Ok, null, "rules", "show", "--document", "--node", mgmt)).Stdout).RootElement;
        Assert.Equal("default", document.GetProperty("version").GetString());
        Assert.Equal(120, document.GetProperty("rules").GetProperty("overspeed").GetProperty("speed-above").GetDouble());

        // A new version: stored in the node's rules file and in force at once; the same again changes nothing.
        var good = Write(dir, "fleet-rules.json", """
            { "version": "v1",
              "rules": { "overspeed": { "speed-above": 110 } },
              "models": { "Mazda 3": { "overspeed": { "speed-above": 90 } } } }
            """);
        var set = await Run(ExitCodes.Ok, Token, "rules", "set", good, "--node", mgmt);
        Assert.Contains($"rules version v1 stored in {rulesFile}", set.Stdout);
        await Poll.Until(async () => await Version(mgmt) == "v1", TimeSpan.FromSeconds(10), "v1 in force");
        Assert.Contains("nothing changed", (await Run(ExitCodes.Ok, Token, "rules", "set", good, "--node", mgmt)).Stdout);
        var view = JsonDocument.Parse((await Run(ExitCodes.Ok, null, "rules", "show", "--json", "--node", mgmt)).Stdout).RootElement;
        Assert.Equal(rulesFile, view.GetProperty("source").GetString());
        Assert.Equal(90, view.GetProperty("document").GetProperty("models").GetProperty("Mazda 3").GetProperty("overspeed").GetProperty("speed-above").GetDouble());
        var stored = File.ReadAllText(rulesFile);

        // Refused by the node: the reason names the file and the line or field; nothing is stored.
        await Refused(ExitCodes.Usage, Token, Write(dir, "typo.json", """{ "version": "v2", "rules": { "overspeed": { "speed_above": 100 } } }"""),
            "typo.json: rules.overspeed.speed_above: unknown key");
        await Refused(ExitCodes.Usage, Token, Write(dir, "cut.json", "{ \"version\": \"v2\",\n  \"rules\": {\n"), "cut.json:3: not valid JSON");
        await Refused(ExitCodes.Usage, Token, Write(dir, "reused.json", """{ "version": "v1", "rules": { "overspeed": { "speed-above": 100 } } }"""),
            "\"v1\" is already in force with other content");
        await Refused(ExitCodes.Usage, Token, Write(dir, "other-form.conf", "version = v2\n"), "send a .json document");
        await Refused(ExitCodes.Usage, Token, Write(dir, "big.json", "{ \"version\": \"v2\" }" + new string(' ', MaxBytes)), "above traffic.live-rules.max-bytes");
        // Refused before anything is sent: no token, a wrong one, not a rules file, no file, no node.
        await Refused(ExitCodes.Refused, null, good, "TRAFFIC_ADMIN_TOKEN is not set");
        await Refused(ExitCodes.Refused, "wrong-token", good, "missing or wrong admin token");
        await Refused(ExitCodes.Usage, Token, Write(dir, "rules.txt", "{}"), "a rules document is a .json or a .conf");
        await Refused(ExitCodes.Usage, Token, Path.Combine(dir.Path, "missing.json"), "missing.json");
        var unreachable = await TrafficCli.RunAsync(Token, "rules", "set", good, "--node", $"http://127.0.0.1:{FreePorts.Next()}");
        Assert.Equal(ExitCodes.Unreachable, unreachable.ExitCode);

        // The endpoint itself: a name that is not a plain .json/.conf file name is refused.
        using var http = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, mgmt + "/rules?name=../rules.json") { Content = new StringContent("{}", Encoding.UTF8) };
        put.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(put)).StatusCode);

        Assert.Equal("v1", await Version(mgmt));
        Assert.Equal(stored, File.ReadAllText(rulesFile));

        async Task Refused(int code, string? token, string file, string reason)
        {
            var r = await TrafficCli.RunAsync(token, "rules", "set", file, "--node", mgmt);
            Assert.True(r.ExitCode == code, $"rules set {Path.GetFileName(file)}: exit {r.ExitCode}, expected {code}\n{r.Stdout}{r.Stderr}");
            Assert.Contains(reason, r.Stderr);
        }
    }

    private static string Write(TempDir dir, string name, string text)
    {
        var path = Path.Combine(dir.Path, "docs", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<string?> Version(string mgmt)
    {
        using var http = new HttpClient();
        return JsonDocument.Parse(await http.GetStringAsync(mgmt + "/rules")).RootElement.GetProperty("version").GetString();
    }

    private static async Task<TrafficCli.Result> Run(int code, string? token, params string[] args)
    {
        var r = await TrafficCli.RunAsync(token, args);
        Assert.True(r.ExitCode == code, $"traffic {string.Join(' ', args)}: exit {r.ExitCode}\n{r.Stdout}{r.Stderr}");
        return r;
    }
}
