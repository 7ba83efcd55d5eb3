using System.CommandLine;

namespace TrafficActors.Host.Commands;

/// <summary>
/// The <c>traffic</c> command tree in one place, so the executable and the checks that validate command lines
/// written elsewhere (docker-compose.yml) parse with exactly the same verbs and options.
/// </summary>
public static class TrafficCommandLine
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("TrafficActors: real-time traffic anomaly detection on an Akka.NET cluster. Without a verb: `run`.");
        foreach (var o in NodeCommands.RunOptions) root.Options.Add(o);
        root.SetAction(NodeCommands.RunAllInOne);
        // Operations verbs: they ask a running node's management endpoint.
        root.Subcommands.Add(ClusterCommand.Create());
        root.Subcommands.Add(ActorCommand.Create());
        root.Subcommands.Add(ShardingCommand.Create());
        root.Subcommands.Add(CarCommand.Create());
        root.Subcommands.Add(WindowCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        root.Subcommands.Add(NodeCommands.Run());
        root.Subcommands.Add(NodeCommands.Node());
        root.Subcommands.Add(KafkaCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(DlqCommand.Create());
        root.Subcommands.Add(RulesCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        return root;
    }
}
