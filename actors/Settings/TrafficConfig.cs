namespace TrafficActors.Settings;

/// <summary>
/// Loads the HOCON files shipped under <c>hocon/</c>: a profile first, then the generator and base defaults as
/// fallbacks. Environment overrides are the <c>${?VAR}</c> lines inside the files, applied by
/// <see cref="HoconEnvironment"/> because Akka's parser does not resolve them.
/// </summary>
public static class TrafficConfig
{
    public const string BaseFile = "traffic.conf";
    public const string GeneratorFile = "generator.conf";

    /// <summary>The folder holding the HOCON files: next to the binary, or <c>TRAFFIC_HOCON_DIR</c>.</summary>
    public static string DefaultFolder =>
        Environment.GetEnvironmentVariable("TRAFFIC_HOCON_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <param name="environment">Looks up the <c>${?VAR}</c> overrides; null = this process's environment. Lets a
    /// check evaluate the configuration another process (a container) would see with its own variables.</param>
    public static Akka.Configuration.Config Load(
        string? profile = null, string? folder = null, string? overrides = null, Func<string, string?>? environment = null)
    {
        folder ??= DefaultFolder;
        var config = Akka.Configuration.Config.Empty;
        if (!string.IsNullOrWhiteSpace(overrides))
            config = Akka.Configuration.ConfigurationFactory.ParseString(overrides);
        if (profile is not null)
            config = config.WithFallback(ReadFile(folder, profile.EndsWith(".conf", StringComparison.Ordinal) ? profile : profile + ".conf", environment));
        config = config.WithFallback(ReadFile(folder, GeneratorFile, environment)).WithFallback(ReadFile(folder, BaseFile, environment));
        return config;
    }

    private static Akka.Configuration.Config ReadFile(string folder, string name, Func<string, string?>? environment)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
            throw new FileNotFoundException($"HOCON file not found: {path}", path);
        return Akka.Configuration.ConfigurationFactory.ParseString(HoconEnvironment.Resolve(File.ReadAllText(path), environment));
    }
}
