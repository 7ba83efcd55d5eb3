using TrafficActors.Settings;

namespace TrafficActors.Reference;

/// <summary>Resolves where this node's reference files are, and produces them for a requested fleet size.</summary>
public static class ReferenceSource
{
    /// <summary>
    /// The folder to load: a generated fleet under the data directory when a car count is configured, otherwise the
    /// configured folder (relative paths tried against the working directory, then the binary's folder).
    /// </summary>
    public static string ResolveFolder(ReferenceSettings settings, string dataDir)
    {
        if (settings.Cars > 0)
        {
            var folder = Path.Combine(dataDir, "reference", $"fleet-{settings.Cars}");
            if (!File.Exists(Path.Combine(folder, ReferenceCsv.CarsFile)))
                SeedFleet.WriteFolder(folder, settings.Cars);
            return folder;
        }

        if (Path.IsPathRooted(settings.Folder)) return settings.Folder;
        var fromCwd = Path.GetFullPath(settings.Folder);
        return Directory.Exists(fromCwd) ? fromCwd : Path.Combine(AppContext.BaseDirectory, settings.Folder);
    }
}
