using System.Text.RegularExpressions;

namespace TrafficActors.Tests.Deployment;

/// <summary>
/// Every environment variable the <c>traffic</c> binary reads, collected from the sources rather than a hand-kept
/// list, so a renamed variable cannot go unnoticed in docker-compose.yml: the <c>${?NAME}</c> overrides in
/// <c>hocon/*.conf</c>, <c>Environment.GetEnvironmentVariable("NAME")</c> calls, and constants named
/// <c>...EnvironmentVariable</c> (how the code names the variables it reads through a constant).
/// </summary>
internal static partial class EnvironmentVariableCatalog
{
    private static readonly string[] SourceFolders = ["actors", "host", "web"];

    public static IReadOnlySet<string> Scan(string repositoryRoot)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var conf in Directory.EnumerateFiles(Path.Combine(repositoryRoot, "hocon"), "*.conf"))
            Collect(HoconOverride(), File.ReadAllText(conf), names);

        foreach (var folder in SourceFolders)
        {
            foreach (var cs in Directory.EnumerateFiles(Path.Combine(repositoryRoot, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (IsBuildOutput(cs)) continue;
                var text = File.ReadAllText(cs);
                Collect(GetEnvironmentVariableCall(), text, names);
                Collect(EnvironmentVariableConstant(), text, names);
            }
        }

        return names;
    }

    private static bool IsBuildOutput(string path) =>
        path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules");

    private static void Collect(Regex pattern, string text, SortedSet<string> names)
    {
        foreach (Match m in pattern.Matches(text)) names.Add(m.Groups["name"].Value);
    }

    [GeneratedRegex(@"\$\{\?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex HoconOverride();

    [GeneratedRegex(@"GetEnvironmentVariable\(\s*""(?<name>[A-Za-z_][A-Za-z0-9_]*)""\s*\)")]
    private static partial Regex GetEnvironmentVariableCall();

    [GeneratedRegex(@"const\s+string\s+\w*EnvironmentVariable\s*=\s*""(?<name>[A-Za-z_][A-Za-z0-9_]*)""")]
    private static partial Regex EnvironmentVariableConstant();
}
