using System.Text;
using Akka.Actor;
using TrafficActors.Reference;
using TrafficActors.Settings;

namespace TrafficActors.Rules;

/// <summary>
/// Stores a new rules document where every node watches for it (<c>traffic rules set</c>, over the management
/// endpoint): the reference bucket when S3 is on, otherwise the node's rules file. The document is validated first
/// with this node's HOCON as the baseline, so a bad version is refused with its reason and nothing is written.
/// </summary>
public sealed class RulesWriter(RuleSettings baseline, LiveRulesSettings settings, ReferenceS3Settings? s3, string dataDir, RuleSetStore store)
{
    private readonly string _file = settings.ResolveFile(dataDir);

    /// <summary>
    /// Validates and stores <paramref name="text"/>, in the form its file name <paramref name="name"/> says (errors name
    /// that file); then asks <paramref name="rules"/> to look at once.
    /// </summary>
    /// <exception cref="RuleDocumentException">The document is invalid, or cannot be stored here in that form.</exception>
    /// <exception cref="RulesConflictException">Its version is the one in force but its content differs.</exception>
    public async Task<RulesWritten> WriteAsync(string name, string text, IActorRef rules, CancellationToken ct)
    {
        if (!RuleDocument.IsJson(name) && !RuleDocument.IsHocon(name))
            throw new RuleDocumentException(name, 0, null, "a rules document is a .json or a .conf (HOCON) file");
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > settings.MaxBytes) throw settings.TooLarge(name, bytes);
        var parsed = HoconRuleDocument.ParseAny(name, text, baseline);

        string target;
        bool changed;
        if (s3 is { IsConfigured: true })
        {
            using var bucket = new S3ReferenceBucket(s3);
            var objectName = RuleDocument.IsJson(name) ? RuleDocument.JsonName : RuleDocument.HoconName;
            target = $"s3://{s3.Bucket}/{objectName}";
            changed = await CheckVersionAsync(parsed, text, () => StoredAsync(bucket, objectName, ct));
            if (changed)
            {
                await bucket.UploadAsync(new ReferenceDocument(objectName, text), ct);
                // The JSON form wins when both exist: drop the other one so what was sent is what serves.
                foreach (var other in RuleDocument.Names.Where(n => n != objectName)) await bucket.RemoveAsync(other, ct);
            }
        }
        else
        {
            if (RuleDocument.IsJson(name) != RuleDocument.IsJson(_file))
                throw new RuleDocumentException(name, 0, null,
                    $"this node reads its rules from {_file} ({(RuleDocument.IsJson(_file) ? "JSON" : "HOCON")}); send a {Path.GetExtension(_file)} document or change traffic.live-rules.file");
            target = _file;
            changed = await CheckVersionAsync(parsed, text, () => Task.FromResult(File.Exists(_file) ? File.ReadAllText(_file) : null));
            if (changed) WriteWhole(_file, text);
        }

        rules.Tell(CheckRules.Instance);
        return new RulesWritten(parsed.Version, target, changed);
    }

    /// <summary>True when the document should be stored; false when exactly this version and content is already there.</summary>
    private async Task<bool> CheckVersionAsync(RuleSet parsed, string text, Func<Task<string?>> stored)
    {
        if (parsed.Version != store.Current.Version) return true;
        if (await stored() == text) return false;
        throw new RulesConflictException($"version \"{parsed.Version}\" is already in force with other content; give the changed rules a new version");
    }

    private static async Task<string?> StoredAsync(S3ReferenceBucket bucket, string name, CancellationToken ct) =>
        await bucket.ETagAsync(name, ct) is null ? null : (await bucket.DownloadAsync(name, ct)).Text;

    /// <summary>
    /// Written beside the file and renamed over it, so a watching node (or a node reading its last good copy after a
    /// crash) never reads half a document.
    /// </summary>
    internal static void WriteWhole(string file, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = file + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temp, text);
        File.Move(temp, file, overwrite: true);
    }
}

/// <summary>What <see cref="RulesWriter"/> did: the version, where it went, and whether anything changed.</summary>
public sealed record RulesWritten(string Version, string Target, bool Changed);

/// <summary>A rules document reusing the version in force for other content.</summary>
public sealed class RulesConflictException(string message) : Exception(message);
