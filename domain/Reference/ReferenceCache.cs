namespace TrafficActors.Reference;

/// <summary>
/// The node's last good copy of the S3 reference objects (<c>&lt;data-dir&gt;/reference-cache/</c>), written only after a
/// version passed validation, so a node that starts while S3 is down can still enrich. The files are written to a
/// sibling folder and swapped in, so a crash mid-write never leaves a mix of two versions.
/// </summary>
public sealed class ReferenceCache(string folder)
{
    public const string FolderName = "reference-cache";

    public string Folder { get; } = folder;

    public void Save(IReadOnlyList<ReferenceDocument> documents)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(Folder)) ?? ".";
        Directory.CreateDirectory(parent);
        var staging = Folder + ".new";
        var previous = Folder + ".old";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        foreach (var doc in documents)
            File.WriteAllText(Path.Combine(staging, doc.Name), doc.Text);
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        if (Directory.Exists(Folder)) Directory.Move(Folder, previous);
        Directory.Move(staging, Folder);
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
    }

    /// <summary>The cached version, or null when no complete copy exists. A cached copy is validated again.</summary>
    public ReferenceSnapshot? TryLoad()
    {
        // A crash between the two moves of Save leaves the last complete copy in ".old".
        var folder = Directory.Exists(Folder) ? Folder : Directory.Exists(Folder + ".old") ? Folder + ".old" : null;
        if (folder is null) return null;
        var docs = new List<ReferenceDocument>();
        foreach (var csv in ReferenceCsv.Files)
        {
            var name = File.Exists(Path.Combine(folder, csv)) ? csv : ReferenceCsv.JsonName(csv);
            var path = Path.Combine(folder, name);
            if (!File.Exists(path)) return null;
            docs.Add(new ReferenceDocument(name, File.ReadAllText(path)));
        }

        return ReferenceCsv.Parse(docs[0], docs[1], docs[2]);
    }
}
