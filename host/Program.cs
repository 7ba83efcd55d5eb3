using System.CommandLine;
using TrafficActors.Host.Commands;
using TrafficActors.Settings;

// The seed's .env (MinIO/AWS variables) works without Docker; variables already set win.
DotEnvFile.ApplyToEnvironment(Path.Combine(Environment.CurrentDirectory, DotEnvFile.DefaultName));

// Piped output (CI logs, scripts) is not a terminal: keep lines whole instead of wrapping at 80 columns.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = OutputWidth.Redirected;

var root = TrafficCommandLine.BuildRoot();

// The web host handles Ctrl+C and SIGTERM itself (graceful drain); the parser must not race it.
var parsed = root.Parse(args);
var code = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
// Usage errors get their own exit code so scripts can tell them from a node's answer.
return parsed.Errors.Count > 0 ? ExitCodes.Usage : code;
