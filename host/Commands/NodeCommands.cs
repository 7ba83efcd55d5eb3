using System.CommandLine;
using Microsoft.Extensions.Hosting;
using TrafficActors.Host.Node;
using TrafficActors.Kafka;
using TrafficActors.Settings;

namespace TrafficActors.Host.Commands;

/// <summary>The verbs that start a node: <c>run</c> (all-in-one, the default) and <c>node</c> (one cluster member).</summary>
public static class NodeCommands
{
    private static readonly Option<string?> Urls = new("--urls") { Description = "HTTP API address(es), ASP.NET Core syntax (default from hocon: http://127.0.0.1:5080)" };
    private static readonly Option<string?> DataDir = new("--data-dir") { Description = "Folder for everything the node writes (default: data/run)" };
    private static readonly Option<string?> KafkaBootstrap = new("--kafka-bootstrap") { Description = "Use this Kafka cluster (host:port,...) instead of starting the embedded broker" };
    private static readonly Option<FileInfo?> ConfigFile = new("--config") { Description = "A HOCON file applied on top of the defaults and the profile (e.g. rule thresholds)" };

    /// <summary>Options of <c>run</c>, also accepted by the root command so that <c>traffic</c> alone runs everything.</summary>
    public static readonly Option<bool> NoGenerator = new("--no-generator") { Description = "Do not start the built-in traffic generator" };

    public static IReadOnlyList<Option> RunOptions { get; } = [NoGenerator, Urls, DataDir, KafkaBootstrap, ConfigFile];

    public static Command Run()
    {
        var cmd = new Command("run", "All-in-one: embedded Kafka broker, a one-node cluster with every role, the generator and the HTTP API");
        foreach (var o in RunOptions) cmd.Options.Add(o);
        cmd.SetAction(RunAllInOne);
        return cmd;
    }

    public static Task<int> RunAllInOne(ParseResult r, CancellationToken ct) =>
        RunNodeAsync(
            new NodeOptions
            {
                Profile = "embedded",
                Generator = r.GetValue(NoGenerator) ? false : null,
                Urls = r.GetValue(Urls),
                DataDir = r.GetValue(DataDir),
                KafkaBootstrap = r.GetValue(KafkaBootstrap),
                ExtraHocon = ReadConfig(r.GetValue(ConfigFile)),
            },
            ct);

    private static string? ReadConfig(FileInfo? file) =>
        file is null ? null : HoconEnvironment.Resolve(File.ReadAllText(file.FullName));

    public static Command Node()
    {
        var roles = new Option<string[]>("--roles") { Description = "Roles of this node: ingest, cars, windows, web (default: all)", AllowMultipleArgumentsPerToken = true };
        var port = new Option<int?>("--port") { Description = "Akka.Remote port (default 0: any free port)" };
        var host = new Option<string?>("--host") { Description = "Akka.Remote host name other nodes reach this one by (default 127.0.0.1)" };
        var seeds = new Option<string[]>("--seed-nodes") { Description = "Seed node addresses, e.g. akka.tcp://traffic@127.0.0.1:4053 (default: join itself)", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("node", "One cluster node with the given roles; needs a Kafka broker (--kafka-bootstrap or `traffic kafka`)");
        foreach (var o in new Option[] { roles, port, host, seeds, Urls, DataDir, KafkaBootstrap, ConfigFile }) cmd.Options.Add(o);
        cmd.SetAction((r, ct) => RunNodeAsync(
            new NodeOptions
            {
                Profile = null,
                Generator = false,
                Roles = Split(r.GetValue(roles)),
                AkkaPort = r.GetValue(port),
                AkkaHost = r.GetValue(host),
                SeedNodes = Split(r.GetValue(seeds)),
                Urls = r.GetValue(Urls),
                DataDir = r.GetValue(DataDir),
                KafkaBootstrap = r.GetValue(KafkaBootstrap),
                ExtraHocon = ReadConfig(r.GetValue(ConfigFile)),
            },
            ct));
        return cmd;
    }

    private static IReadOnlyList<string>? Split(string[]? values) =>
        values is null || values.Length == 0
            ? null
            : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    private static async Task<int> RunNodeAsync(NodeOptions options, CancellationToken ct)
    {
        TrafficNode node;
        try
        {
            node = await TrafficNode.StartAsync(options, ct);
        }
        catch (FileNotFoundException ex)
        {
            await Console.Error.WriteLineAsync($"traffic: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (KafkaClientConfigException ex)
        {
            await Console.Error.WriteLineAsync($"traffic: node failed to start: {ex.Message}");
            return ExitCodes.Kafka;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"traffic: node failed to start: {ex.GetBaseException().Message}");
            return ExitCodes.Error;
        }

        await using (node)
        {
            // Ctrl+C / SIGTERM stop the web host, which runs CoordinatedShutdown (drain, commit, leave).
            await node.App.WaitForShutdownAsync(CancellationToken.None);
        }

        return ExitCodes.Ok;
    }
}
