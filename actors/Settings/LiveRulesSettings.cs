namespace TrafficActors.Settings;

/// <summary>Where the live rules document comes from (<c>traffic.live-rules</c>).</summary>
public sealed record LiveRulesSettings(string File, TimeSpan PollInterval, TimeSpan ChangeDelay, int MaxBytes)
{
    public static LiveRulesSettings FromConfig(Akka.Configuration.Config c)
    {
        var settings = new LiveRulesSettings(c.GetString("file", "").Trim(), c.GetTimeSpan("poll-interval"), c.GetTimeSpan("change-delay"), c.GetInt("max-bytes"));
        if (settings.File.Length == 0)
            throw new Akka.Configuration.ConfigurationException("traffic.live-rules.file must name a file (.json or .conf)");
        if (!Rules.RuleDocument.IsJson(settings.File) && !Rules.RuleDocument.IsHocon(settings.File))
            throw new Akka.Configuration.ConfigurationException($"traffic.live-rules.file must end in .json or .conf, not '{settings.File}'");
        if (settings.PollInterval <= TimeSpan.Zero)
            throw new Akka.Configuration.ConfigurationException("traffic.live-rules.poll-interval must be above zero");
        if (settings.MaxBytes < 1)
            throw new Akka.Configuration.ConfigurationException("traffic.live-rules.max-bytes must be at least 1");
        return settings;
    }

    /// <summary>Why a document of <paramref name="bytes"/> bytes is refused unread.</summary>
    public Rules.RuleDocumentException TooLarge(string file, long bytes) =>
        new(file, 0, null, $"{bytes} bytes, above traffic.live-rules.max-bytes ({MaxBytes})");

    /// <summary>The file's full path: relative paths resolve against the node's data directory.</summary>
    public string ResolveFile(string dataDir) => Path.GetFullPath(Path.IsPathRooted(File) ? File : Path.Combine(dataDir, File));
}
