using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using TrafficActors.Settings;

namespace TrafficActors.Reference;

/// <summary>
/// Owns the node's reference cache: loads a version, validates it and swaps it into the
/// <see cref="ReferenceDataStore"/> that car actors read without messaging or I/O. Two sources:
/// <list type="bullet">
/// <item>a local folder (no S3 endpoint configured): loaded once at start, retried after a failed load;</item>
/// <item>an S3 bucket: loaded at start, then polled by ETag; a changed version is downloaded, validated and swapped
/// in, a malformed one is rejected and the previous version stays. While S3 is unreachable the node keeps serving
/// what it has (at start, the last good copy from its data directory) and retries with backoff.</item>
/// </list>
/// Each node keeps its own copy rather than a replicated one: the data is small (about 40 MB for a million cars),
/// every node needs all of it on every event, and fetching it independently means no node depends on another
/// one (or on cluster membership) to enrich, and an S3 outage never blocks a node that already has a version.
/// </summary>
public sealed class ReferenceDataActor : ReceiveActor, IWithTimers
{
    private const string CheckTimer = "check";
    private readonly ReferenceDataStore _store;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _folder = "";
    private readonly TimeSpan _retryInterval;
    private readonly S3ReferenceBucket? _bucket;
    private readonly ReferenceCache? _cache;
    private string _source;
    private string? _lastError;

    // S3 mode: the ETags of the version in use, of the last rejected version, and the outage state.
    private string? _currentKey;
    private string? _rejectedKey;
    private bool _fetching;
    private bool _s3Down;
    private bool _cacheTried;
    private TimeSpan _backoff;

    public ReferenceDataActor(string folder, ReferenceDataStore store, TimeSpan retryInterval)
    {
        _folder = folder;
        _store = store;
        _retryInterval = retryInterval;
        _source = folder;
        Receive<Reload>(_ => LoadFolder());
        ReceiveStatus();
    }

    public ReferenceDataActor(ReferenceS3Settings s3, string cacheFolder, ReferenceDataStore store)
    {
        _store = store;
        _bucket = new S3ReferenceBucket(s3);
        _cache = new ReferenceCache(cacheFolder);
        _source = s3.ToString();
        _backoff = s3.MinBackoff;
        Receive<Check>(_ => StartCheck());
        Receive<Fetched>(OnFetched);
        Receive<Unchanged>(_ => Completed(null));
        Receive<Rejected>(OnRejected);
        Receive<Unreachable>(OnUnreachable);
        Receive<CacheLoaded>(OnCacheLoaded);
        ReceiveStatus();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string folder, ReferenceDataStore store, TimeSpan retryInterval) =>
        Akka.Actor.Props.Create(() => new ReferenceDataActor(folder, store, retryInterval));

    /// <summary>The actor for this node's settings: S3 when an endpoint is configured, otherwise the local folder.</summary>
    public static Props PropsFor(ReferenceSettings settings, string dataDir, ReferenceDataStore store)
    {
        if (settings.S3 is not { IsConfigured: true } s3)
            return Props(ReferenceSource.ResolveFolder(settings, dataDir), store, settings.RetryInterval);
        var cache = Path.Combine(dataDir, ReferenceCache.FolderName);
        return Akka.Actor.Props.Create(() => new ReferenceDataActor(s3, cache, store));
    }

    protected override void PreStart()
    {
        if (_bucket is null) LoadFolder();
        else Self.Tell(Check.Instance);
    }

    protected override void PostStop() => _bucket?.Dispose();

    private void ReceiveStatus() =>
        Receive<GetReferenceStatus>(_ =>
        {
            var s = _store.Current;
            Sender.Tell(new ReferenceStatus(_store.IsLoaded, s.Version, _source, s.Models.Count, s.Colors.Count, s.CarCount, _lastError));
        });

    private void LoadFolder()
    {
        try
        {
            var started = Stopwatch.StartNew();
            var snapshot = ReferenceCsv.LoadFolder(_folder);
            _store.Swap(snapshot);
            _lastError = null;
            _log.Info("Reference data loaded from {0}: {1} models, {2} colors, {3} cars ({4}) in {5} ms",
                _folder, snapshot.Models.Count, snapshot.Colors.Count, snapshot.CarCount, snapshot.Version, started.ElapsedMilliseconds);
        }
        catch (Exception ex) when (ex is ReferenceDataException or IOException or UnauthorizedAccessException)
        {
            _lastError = ex.Message;
            _log.Error("Reference data rejected, keeping version {0}: {1}", _store.Current.Version, ex.Message);
            Timers.StartSingleTimer(nameof(Reload), Reload.Instance, _retryInterval);
        }
    }

    private void StartCheck()
    {
        if (_fetching) return;
        _fetching = true;
        FetchAsync(_bucket!, _cache!, _currentKey, _rejectedKey).PipeTo(Self);
    }

    // Runs off the actor: S3 calls, parsing and the cache write. Only the actor touches the store and its own state.
    private static async Task<object> FetchAsync(S3ReferenceBucket bucket, ReferenceCache cache, string? currentKey, string? rejectedKey)
    {
        var started = Stopwatch.StartNew();
        string? key = null;
        try
        {
            var objects = await bucket.LocateAsync(CancellationToken.None);
            key = string.Join(';', objects.Select(o => $"{o.Name}={o.ETag}"));
            if (key == currentKey || key == rejectedKey) return Unchanged.Instance;
            var docs = new List<ReferenceDocument>(objects.Count);
            foreach (var o in objects)
                docs.Add(await bucket.DownloadAsync(o.Name, CancellationToken.None));
            var snapshot = ReferenceCsv.Parse(docs[0], docs[1], docs[2]);
            string? cacheError = null;
            try
            {
                cache.Save(docs);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                cacheError = ex.Message;
            }

            return new Fetched(snapshot, key, started.ElapsedMilliseconds, cacheError);
        }
        catch (ReferenceDataException ex)
        {
            return new Rejected(ex, key);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new Unreachable(ex);
        }
    }

    private void OnFetched(Fetched f)
    {
        _store.Swap(f.Snapshot);
        _currentKey = f.Key;
        _rejectedKey = null;
        _source = _bucket!.Settings.ToString();
        var s = f.Snapshot;
        _log.Info("Reference data loaded from {0}: {1} models, {2} colors, {3} cars ({4}) in {5} ms",
            _source, s.Models.Count, s.Colors.Count, s.CarCount, s.Version, f.ElapsedMs);
        if (f.CacheError is { } cacheError)
            _log.Warning("Could not keep a local copy of the reference data in {0}: {1}", _cache!.Folder, cacheError);
        Completed(null);
    }

    private void OnRejected(Rejected r)
    {
        // Remember the rejected ETags so the same bad version is reported once, not on every poll.
        _rejectedKey = r.Key;
        var repeated = r.Error.Message == _lastError;
        _lastError = r.Error.Message;
        if (!repeated) _log.Error("Reference data in {0} rejected, keeping version {1}: {2}", _bucket!.Settings, _store.Current.Version, r.Error.Message);
        Completed(r.Error.Message);
    }

    private void OnUnreachable(Unreachable u)
    {
        _fetching = false;
        var settings = _bucket!.Settings;
        _lastError = S3Failure.Describe(u.Error, settings);
        if (!_s3Down)
        {
            // Logged once per outage: the node keeps serving and a log line per retry would only be noise.
            _s3Down = true;
            _log.Warning("S3 reference source failed, keeping version {0} and retrying: {1}", _store.Current.Version, _lastError);
        }

        if (!TryCacheOnce())
        {
            Timers.StartSingleTimer(CheckTimer, Check.Instance, _backoff);
            _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, settings.MaxBackoff.Ticks));
        }
    }

    private void OnCacheLoaded(CacheLoaded c)
    {
        if (c.Snapshot is { } snapshot && !_store.IsLoaded)
        {
            _store.Swap(snapshot);
            _source = "last good copy in " + _cache!.Folder;
            _log.Warning("Serving the last good reference copy from {0}: {1} cars ({2}) until S3 answers", _cache.Folder, snapshot.CarCount, snapshot.Version);
        }
        else if (c.Error is { } error)
        {
            _log.Warning("No usable local reference copy in {0}: {1}", _cache!.Folder, error);
        }

        Timers.StartSingleTimer(CheckTimer, Check.Instance, _backoff);
    }

    private void Completed(string? error)
    {
        _fetching = false;
        if (_s3Down)
        {
            _s3Down = false;
            _log.Info("S3 reference source answers again: {0}", _bucket!.Settings);
        }

        if (error is null && _rejectedKey is null) _lastError = null;
        _backoff = _bucket!.Settings.MinBackoff;
        if (!TryCacheOnce())
            Timers.StartSingleTimer(CheckTimer, Check.Instance, _bucket.Settings.PollInterval);
    }

    // Not loaded yet and S3 had nothing usable: fall back to the node's last good copy, once.
    private bool TryCacheOnce()
    {
        if (_store.IsLoaded || _cacheTried) return false;
        _cacheTried = true;
        var cache = _cache!;
        Task.Run(() =>
        {
            try
            {
                return new CacheLoaded(cache.TryLoad(), null);
            }
            catch (Exception ex) when (ex is ReferenceDataException or IOException or UnauthorizedAccessException)
            {
                return new CacheLoaded(null, ex.Message);
            }
        }).PipeTo(Self);
        return true;
    }

    private sealed class Reload
    {
        public static readonly Reload Instance = new();
    }

    private sealed class Check
    {
        public static readonly Check Instance = new();
    }

    private sealed class Unchanged
    {
        public static readonly Unchanged Instance = new();
    }

    private sealed record Fetched(ReferenceSnapshot Snapshot, string Key, long ElapsedMs, string? CacheError);

    private sealed record Rejected(ReferenceDataException Error, string? Key);

    private sealed record Unreachable(Exception Error);

    private sealed record CacheLoaded(ReferenceSnapshot? Snapshot, string? Error);
}
