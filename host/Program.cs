using System.CommandLine;
using TrafficActors.Host.Commands;
using TrafficActors.Settings;

// The seed's .env (MinIO/AWS variables) works without Docker; variables already set win.
DotEnvFile.ApplyToEnvironment(Path.Combine(Environment.CurrentDirectory, DotEnvFile.DefaultName));

var root = new RootCommand("TrafficActors: real-time traffic anomaly detection on an Akka.NET cluster. Without a verb: `run`.");
foreach (var o in NodeCommands.RunOptions) root.Options.Add(o);
root.SetAction(NodeCommands.RunAllInOne);
root.Subcommands.Add(NodeCommands.Run());
root.Subcommands.Add(NodeCommands.Node());
root.Subcommands.Add(KafkaCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(InitCommand.Create());

// The web host handles Ctrl+C and SIGTERM itself (graceful drain); the parser must not race it.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
