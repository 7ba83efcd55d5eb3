namespace TrafficActors.Settings;

/// <summary>
/// Reads a <c>.env</c> file as the seed's docker-compose setup wrote it (<c>NAME=value</c> lines, <c>#</c> comments,
/// optional <c>export</c> and quotes) so its MinIO/AWS variables work without Docker. A tiny reader keeps the format
/// rules explicit and adds no dependency; variables already in the real environment always win.
/// </summary>
public static class DotEnvFile
{
    public const string DefaultName = ".env";

    /// <summary>Parses <paramref name="text"/>; later lines win, malformed lines are skipped.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line["export ".Length..].TrimStart();
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var name = line[..eq].Trim();
            if (!IsName(name)) continue;
            values[name] = Value(line[(eq + 1)..].Trim());
        }

        return values;
    }

    /// <summary>
    /// Copies the variables of <paramref name="path"/> (if the file exists) into this process's environment, leaving
    /// those already set alone. Returns how many were applied.
    /// </summary>
    public static int ApplyToEnvironment(string path)
    {
        if (!File.Exists(path)) return 0;
        var applied = 0;
        foreach (var (name, value) in Parse(File.ReadAllText(path)))
        {
            if (Environment.GetEnvironmentVariable(name) is not null) continue;
            Environment.SetEnvironmentVariable(name, value);
            applied++;
        }

        return applied;
    }

    private static string Value(string v)
    {
        if (v.Length >= 2 && (v[0] == '"' || v[0] == '\'') && v[^1] == v[0]) return v[1..^1];
        // Unquoted values may carry a trailing comment, as in shell.
        var comment = v.IndexOf(" #", StringComparison.Ordinal);
        return comment >= 0 ? v[..comment].TrimEnd() : v;
    }

    private static bool IsName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
