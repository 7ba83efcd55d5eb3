using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Event;
using TrafficActors.Reference;
using TrafficActors.Settings;

namespace TrafficActors.Rules;

/// <summary>
/// Keeps this node's rules in force current: watches the rules document (in the reference bucket when S3 is on,
/// otherwise a file on disk), validates each new version and swaps it into the <see cref="RuleSetStore"/> at once. A
/// rejected version is reported once and the previous one keeps serving; with no document the node's HOCON rules
/// serve. Every node watches for itself, as with the reference data, so no node needs another one to change its rules.
/// </summary>
public sealed class RuleSetActor : ReceiveActor, IWithTimers
{
    /// <summary>Where the version in force came from when no document exists.</summary>
    public const string DefaultSource = "traffic.rules (HOCON)";

    private const string CheckTimer = "check";

    /// <summary>Folder under the data directory with the last good document from the bucket.</summary>
    public const string CacheFolderName = "rules-cache";

    private readonly RuleSetStore _store;
    private readonly RuleSettings _baseline;
    private readonly LiveRulesSettings _settings;
    private readonly S3ReferenceBucket? _bucket;
    private readonly string _file;
    private readonly string _cacheFolder;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private FileSystemWatcher? _watcher;
    private bool _checking;
    private bool _again;
    private bool _unreachable;
    private string? _currentKey;
    private string? _rejectedKey;

    public RuleSetActor(RuleSetStore store, RuleSettings baseline, LiveRulesSettings settings, ReferenceS3Settings? s3, string dataDir)
    {
        _store = store;
        _baseline = baseline;
        _settings = settings;
        _file = settings.ResolveFile(dataDir);
        _cacheFolder = Path.Combine(dataDir, CacheFolderName);
        if (s3 is { IsConfigured: true }) _bucket = new S3ReferenceBucket(s3);
        Receive<CheckRules>(_ => StartCheck());
        Receive<Unchanged>(OnUnchanged);
        Receive<Changed>(_ => Timers.StartSingleTimer(CheckTimer, CheckRules.Instance, _settings.ChangeDelay));
        Receive<Loaded>(OnLoaded);
        Receive<Absent>(OnAbsent);
        Receive<Rejected>(OnRejected);
        Receive<Unreachable>(OnUnreachable);
        // A check that fails in a way nobody foresaw must not leave the actor "checking" for good: retry at the poll.
        Receive<Status.Failure>(f => OnUnreachable(new Unreachable(f.Cause.GetBaseException().Message)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RuleSetStore store, RuleSettings baseline, LiveRulesSettings settings, ReferenceS3Settings? s3, string dataDir) =>
        Akka.Actor.Props.Create(() => new RuleSetActor(store, baseline, settings, s3, dataDir));

    protected override void PreStart()
    {
        if (_bucket is null) Watch();
        Self.Tell(CheckRules.Instance);
    }

    protected override void PostStop()
    {
        _watcher?.Dispose();
        _bucket?.Dispose();
    }

    /// <summary>A change notice makes a change take effect at once; the poll still catches any notice the OS drops.</summary>
    private void Watch()
    {
        var folder = Path.GetDirectoryName(_file)!;
        try
        {
            Directory.CreateDirectory(folder);
            var self = Self;
            _watcher = new FileSystemWatcher(folder, Path.GetFileName(_file))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            };
            FileSystemEventHandler changed = (_, _) => self.Tell(Changed.Instance);
            _watcher.Changed += changed;
            _watcher.Created += changed;
            _watcher.Deleted += changed;
            _watcher.Renamed += (_, _) => self.Tell(Changed.Instance);
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            _log.Warning("Cannot watch {0} for rules changes ({1}); checking it every {2} instead", _file, ex.Message, _settings.PollInterval);
        }
    }

    private void StartCheck()
    {
        if (_checking)
        {
            // A change noticed during a check is looked at right after it.
            _again = true;
            return;
        }

        _checking = true;
        _again = false;
        var (baseline, settings, current, rejected) = (_baseline, _settings, _currentKey, _rejectedKey);
        var load = _bucket is { } bucket ? FetchAsync(bucket, baseline, settings, current, rejected) : Task.Run(() => ReadFile(_file, baseline, settings, current, rejected));
        load.PipeTo(Self);
    }

    private static async Task<object> FetchAsync(S3ReferenceBucket bucket, RuleSettings baseline, LiveRulesSettings settings, string? currentKey, string? rejectedKey)
    {
        try
        {
            foreach (var name in RuleDocument.Names)
            {
                if (await bucket.ETagAsync(name, CancellationToken.None) is not { } etag) continue;
                var key = $"{name}={etag}";
                if (key == currentKey) return Unchanged.InForce;
                if (key == rejectedKey) return Unchanged.StillRejected;
                var doc = await bucket.DownloadAsync(name, CancellationToken.None);
                return Judge(name, doc.Text, Encoding.UTF8.GetByteCount(doc.Text), key, baseline, settings, $"s3://{bucket.Settings.Bucket}/{name}");
            }

            return Absent.Instance;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new Unreachable(S3Failure.Describe(ex, bucket.Settings));
        }
    }

    private static object ReadFile(string file, RuleSettings baseline, LiveRulesSettings settings, string? currentKey, string? rejectedKey)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists) return Absent.Instance;
            // The size is checked before reading, so a huge file is refused without being loaded.
            if (info.Length > settings.MaxBytes) return new Rejected(settings.TooLarge(file, info.Length), $"size:{info.Length}:{info.LastWriteTimeUtc.Ticks}");
            bytes = File.ReadAllBytes(file);
        }
        catch (FileNotFoundException)
        {
            return Absent.Instance;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new Unreachable($"cannot read {file}: {ex.Message}");
        }

        var key = Convert.ToHexString(SHA256.HashData(bytes));
        if (key == currentKey) return Unchanged.InForce;
        if (key == rejectedKey) return Unchanged.StillRejected;
        return Judge(file, Encoding.UTF8.GetString(bytes), bytes.Length, key, baseline, settings, file);
    }

    private static object Judge(string name, string text, int bytes, string key, RuleSettings baseline, LiveRulesSettings settings, string source)
    {
        if (bytes > settings.MaxBytes) return new Rejected(settings.TooLarge(name, bytes), key);
        try
        {
            return new Loaded(HoconRuleDocument.ParseAny(name, text, baseline), key, source, Path.GetFileName(name), text);
        }
        catch (RuleDocumentException ex)
        {
            return new Rejected(ex, key);
        }
    }

    private void OnUnchanged(Unchanged u)
    {
        if (u.IsInForce && _rejectedKey is not null)
        {
            // The rejected document was put back to the one in force: nothing is refused any more.
            _rejectedKey = null;
            _store.Report(null);
            _log.Info("The rules document is back to version {0}, the one in force", _store.Current.Version);
        }

        Done();
    }

    private void OnLoaded(Loaded l)
    {
        var current = _store.Current;
        if (l.Rules.Version == current.Version && _currentKey is not null)
        {
            // One version, one meaning: alerts name the version that judged them, so changed rules need a new name.
            OnRejected(new Rejected(new RuleDocumentException(l.Source, 0, "version", $"\"{l.Rules.Version}\" is already in force with other content; give the changed rules a new version"), l.Key));
            return;
        }

        _store.Swap(l.Rules, l.Source, DateTimeOffset.UtcNow);
        _currentKey = l.Key;
        _rejectedKey = null;
        _log.Info("Rules version {0} in force from {1} (was {2}): {3}", l.Rules.Version, l.Source, current.Version, Describe(l.Rules));
        if (_bucket is not null) SaveCopy(l.Name, l.Text);
        Done();
    }

    private void OnAbsent(Absent _)
    {
        if (_currentKey is not null)
        {
            _store.Swap(RuleSet.FromDefaults(_baseline), DefaultSource, DateTimeOffset.UtcNow);
            _log.Warning("The rules document is gone; the node's HOCON rules (version {0}) are in force again", RuleSet.DefaultVersion);
        }

        _currentKey = null;
        _rejectedKey = null;
        _store.Report(null);
        Done();
    }

    private void OnRejected(Rejected r)
    {
        // Remembered by content, so the same bad version is reported once, not on every poll.
        _rejectedKey = r.Key;
        SettleFromCopy();
        _store.Report(r.Error.Message);
        _log.Error("Rules document rejected, version {0} stays in force: {1}", _store.Current.Version, r.Error.Message);
        Done();
    }

    private void OnUnreachable(Unreachable u)
    {
        if (!_unreachable)
        {
            _unreachable = true;
            _log.Warning("Rules source unreachable, version {0} stays in force; retrying every {1}: {2}", _store.Current.Version, _settings.PollInterval, u.Error);
        }

        SettleFromCopy();
        _checking = false;
        Timers.StartSingleTimer(CheckTimer, CheckRules.Instance, _settings.PollInterval);
    }

    /// <summary>
    /// A node starting while the bucket is down (or holds a bad version) takes the last good document it had rather
    /// than its HOCON defaults, as it does with the reference data; either way it then starts consuming.
    /// </summary>
    private void SettleFromCopy()
    {
        if (_store.IsSettled) return;
        _store.Settle();
        if (_bucket is null) return;
        foreach (var name in RuleDocument.Names)
        {
            var path = Path.Combine(_cacheFolder, name);
            try
            {
                if (!File.Exists(path)) continue;
                var rules = HoconRuleDocument.ParseAny(path, File.ReadAllText(path), _baseline);
                _store.Swap(rules, "last good copy in " + path, DateTimeOffset.UtcNow);
                _log.Warning("Serving rules version {0} from the last good copy {1} until the bucket answers with a usable one", rules.Version, path);
                return;
            }
            catch (Exception ex) when (ex is RuleDocumentException or IOException or UnauthorizedAccessException)
            {
                _log.Warning("No usable last good rules copy in {0}: {1}", path, ex.Message);
            }
        }
    }

    private void SaveCopy(string name, string text)
    {
        try
        {
            RulesWriter.WriteWhole(Path.Combine(_cacheFolder, name), text);
            foreach (var other in RuleDocument.Names.Where(n => n != name)) File.Delete(Path.Combine(_cacheFolder, other));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Warning("Could not keep a local copy of the rules in {0}: {1}", _cacheFolder, ex.Message);
        }
    }

    private void Done()
    {
        _store.Settle();
        _checking = false;
        if (_unreachable)
        {
            _unreachable = false;
            _log.Info("Rules source answers again");
        }

        if (_again) Self.Tell(CheckRules.Instance);
        else Timers.StartSingleTimer(CheckTimer, CheckRules.Instance, _settings.PollInterval);
    }

    private static string Describe(RuleSet rules)
    {
        var s = rules.Defaults;
        var models = rules.Models.Count == 0 ? "" : $"; overrides for {string.Join(", ", rules.Models.Keys)}";
        return System.FormattableString.Invariant(
            $"overspeed {(s.OverspeedEnabled ? $"> {s.OverspeedAbove} km/h" : "off")}, engine stress {(s.EngineStressEnabled ? $"> {s.EngineStressRpmAbove} rpm" : "off")}, wrong gear {(s.WrongGearEnabled ? "on" : "off")}, harsh braking {(s.HarshBrakingEnabled ? "on" : "off")}, sustained overspeed {(s.SustainedOverspeedEnabled ? "on" : "off")}{models}");
    }

    private sealed class Changed
    {
        public static readonly Changed Instance = new();
    }

    /// <summary>The document is the one in force, or the one last rejected.</summary>
    private sealed class Unchanged
    {
        public static readonly Unchanged InForce = new(true);
        public static readonly Unchanged StillRejected = new(false);

        private Unchanged(bool inForce) => IsInForce = inForce;

        public bool IsInForce { get; }
    }

    private sealed class Absent
    {
        public static readonly Absent Instance = new();
    }

    private sealed record Loaded(RuleSet Rules, string Key, string Source, string Name, string Text);

    private sealed record Rejected(RuleDocumentException Error, string Key);

    private sealed record Unreachable(string Error);
}
