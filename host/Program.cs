using System.CommandLine;
using TrafficActors.Host.Commands;
using TrafficActors.Settings;

// The seed's .env (MinIO/AWS variables) works without Docker; variables already set win.
DotEnvFile.ApplyToEnvironment(Path.Combine(Environment.CurrentDirectory, DotEnvFile.DefaultName));

// Piped output (CI logs, scripts) is not a terminal: keep lines whole instead of wrapping at 80 columns.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = OutputWidth.Redirected;

var root = new RootCommand("TrafficActors: real-time traffic anomaly detection on an Akka.NET cluster. Without a verb: `run`.");
foreach (var o in NodeCommands.RunOptions) root.Options.Add(o);
root.SetAction(NodeCommands.RunAllInOne);
// Operations verbs: they ask a running node's management endpoint.
root.Subcommands.Add(ClusterCommand.Create());
root.Subcommands.Add(ActorCommand.Create());
root.Subcommands.Add(ShardingCommand.Create());
root.Subcommands.Add(CarCommand.Create());
root.Subcommands.Add(WindowCommand.Create());
root.Subcommands.Add(NodeCommands.Run());
root.Subcommands.Add(NodeCommands.Node());
root.Subcommands.Add(KafkaCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(InitCommand.Create());

// The web host handles Ctrl+C and SIGTERM itself (graceful drain); the parser must not race it.
var parsed = root.Parse(args);
var code = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
// Usage errors get their own exit code so scripts can tell them from a node's answer.
return parsed.Errors.Count > 0 ? ExitCodes.Usage : code;
