namespace TrafficActors.Tests.Support;

/// <summary>The checkout the tests were built from: the first folder above the test binaries holding the solution.</summary>
internal static class RepositoryRoot
{
    private const string Marker = "TrafficActors.sln";

    public static string Path { get; } = Find();

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, Marker))) return dir.FullName;
        }

        throw new InvalidOperationException($"no {Marker} above {AppContext.BaseDirectory}");
    }
}
