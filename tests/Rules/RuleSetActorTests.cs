using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit.Xunit2;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Rules;

/// <summary>
/// The rules watcher against a real file and a real S3 server: a new version is swapped in, a bad one is refused once
/// while the previous one keeps serving, a deleted document gives the HOCON rules back; and the writer behind
/// <c>traffic rules set</c> stores, refuses and leaves alone as it should.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class RuleSetActorTests : TestKit, IClassFixture<S3Server>
{
    private const int MaxBytes = 4096;
    private const string Rejected = "Rules document rejected";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly RuleSettings Baseline = RuleSettings.SeedDefaults;
    private readonly S3Server _s3;
    private readonly TempDir _dir = new();
    private readonly RuleSetStore _store = new(RuleSet.FromDefaults(Baseline), RuleSetActor.DefaultSource);
    private readonly ConcurrentQueue<string> _logs = new();
    private readonly ReferenceS3Settings _bucket;

    public RuleSetActorTests(S3Server s3)
    {
        _s3 = s3;
        // One bucket per test: the server is shared by the class.
        _bucket = s3.Settings("rules-" + Guid.NewGuid().ToString("N")[..12]);
        var recorder = Sys.ActorOf(Props.Create(() => new LogRecorder(_logs)));
        Sys.EventStream.Subscribe(recorder, typeof(LogEvent));
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _dir.Dispose();
    }

    private string RulesFile => Path.Combine(_dir.Path, RuleDocument.JsonName);

    private LiveRulesSettings Settings(string file) => new(file, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50), MaxBytes);

    private IActorRef Watch(string file, ReferenceS3Settings? s3 = null) =>
        Sys.ActorOf(RuleSetActor.Props(_store, Baseline, Settings(file), s3, _dir.Path));

    private RulesWriter Writer(string file, ReferenceS3Settings? s3 = null) => new(Baseline, Settings(file), s3, _dir.Path, _store);

    private static string Json(string version, double overspeedAbove, string extra = "") =>
        $$"""{ "version": "{{version}}", "rules": { "overspeed": { "speed-above": {{overspeedAbove}}{{extra}} } } }""";

    /// <summary>Written beside and renamed over the file, as an editor or the writer does, so no check reads half of it.</summary>
    private static void Put(string file, string text, bool byteOrderMark = false)
    {
        var temp = file + ".new";
        File.WriteAllText(temp, text, new System.Text.UTF8Encoding(byteOrderMark));
        File.Move(temp, file, overwrite: true);
    }

    private Task UntilVersion(string version) =>
        Poll.Until(() => _store.Current.Version == version, Wait, () => $"rules version {version}; in force: {_store.Status}", TimeSpan.FromMilliseconds(20));

    private Task UntilError(string part) =>
        Poll.Until(() => _store.Status.Error?.Contains(part, StringComparison.Ordinal) == true, Wait, () => $"a rejection saying '{part}'; status: {_store.Status}", TimeSpan.FromMilliseconds(20));

    private int RejectionsLogged(string part) => _logs.Count(l => l.Contains(Rejected, StringComparison.Ordinal) && l.Contains(part, StringComparison.Ordinal));

    private async Task<S3ReferenceBucket> Bucket()
    {
        var bucket = new S3ReferenceBucket(_bucket);
        if (!await bucket.BucketExistsAsync(default)) await bucket.MakeBucketAsync(default);
        return bucket;
    }

    [Fact]
    public async Task File_mode_no_file_serves_the_default_a_written_document_is_swapped_in_and_deleting_it_gives_the_default_back()
    {
        Watch(RulesFile);
        Assert.Equal(RuleSet.DefaultVersion, _store.Current.Version);
        Assert.Equal(RuleSetActor.DefaultSource, _store.Status.Source);

        Put(RulesFile, Json("v1", 110));
        await UntilVersion("v1");
        Assert.Equal(110, _store.Current.Defaults.OverspeedAbove);
        Assert.Equal(Baseline with { OverspeedAbove = 110 }, _store.Current.Defaults);
        Assert.Equal(RulesFile, _store.Status.Source);
        Assert.Null(_store.Status.Error);

        // As a Windows editor saves it: with a byte order mark.
        Put(RulesFile, Json("v2", 100), byteOrderMark: true);
        await UntilVersion("v2");
        Assert.Equal(100, _store.Current.Defaults.OverspeedAbove);

        File.Delete(RulesFile);
        await UntilVersion(RuleSet.DefaultVersion);
        Assert.Equal(Baseline, _store.Current.Defaults);
        Assert.Equal(RuleSetActor.DefaultSource, _store.Status.Source);
        Assert.Contains(_logs, l => l.Contains("The rules document is gone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task File_mode_a_bad_document_is_refused_once_the_previous_version_serves_and_a_fixed_one_clears_the_error()
    {
        var watcher = Watch(RulesFile);
        Put(RulesFile, Json("v1", 110));
        await UntilVersion("v1");
        var good = _store.Current;

        Put(RulesFile, Json("v2", 100, ", \"speed_above\": 90"));
        await UntilError("unknown key");
        Assert.Same(good, _store.Current);
        Assert.Equal("v1", _store.Status.Version);
        Assert.Equal($"{RulesFile}: rules.overspeed.speed_above: unknown key; overspeed has enabled, speed-above", _store.Status.Error);

        // The same bad document is seen again on every check, and reported only the first time.
        for (var i = 0; i < 3; i++) watcher.Tell(CheckRules.Instance);
        await Poll.Until(() => RejectionsLogged("speed_above") >= 1, Wait, () => "the rejection in the log");

        Put(RulesFile, Json("v2", 100));
        await UntilVersion("v2");
        Assert.Null(_store.Status.Error);
        Assert.Equal(100, _store.Current.Defaults.OverspeedAbove);
        Assert.Equal(1, RejectionsLogged("speed_above"));
    }

    [Fact]
    public async Task File_mode_invalid_json_is_refused_naming_its_line()
    {
        Watch(RulesFile);
        Put(RulesFile, Json("v1", 110));
        await UntilVersion("v1");

        Put(RulesFile, "{\n  \"version\": \"v2\"\n  \"rules\": {}\n}");
        await UntilError("not valid JSON");
        Assert.StartsWith($"{RulesFile}:3: not valid JSON", _store.Status.Error, StringComparison.Ordinal);
        Assert.Equal("v1", _store.Current.Version);
    }

    [Fact]
    public async Task File_mode_the_same_version_with_other_content_is_refused_and_putting_it_back_clears_the_error()
    {
        Watch(RulesFile);
        var original = Json("v1", 110);
        Put(RulesFile, original);
        await UntilVersion("v1");
        var good = _store.Current;

        Put(RulesFile, Json("v1", 90));
        await UntilError("already in force with other content");
        Assert.Same(good, _store.Current);
        Assert.Equal(110, _store.Current.Defaults.OverspeedAbove);

        Put(RulesFile, original);
        await Poll.Until(() => _store.Status.Error is null, Wait, () => $"the error cleared; status: {_store.Status}", TimeSpan.FromMilliseconds(20));
        Assert.Same(good, _store.Current);
    }

    [Fact]
    public async Task File_mode_a_document_above_max_bytes_is_refused_unread()
    {
        Watch(RulesFile);
        Put(RulesFile, Json("v1", 110));
        await UntilVersion("v1");

        Put(RulesFile, Json("v2", 100) + new string(' ', MaxBytes));
        await UntilError("above traffic.live-rules.max-bytes");
        Assert.Equal("v1", _store.Current.Version);
    }

    [Fact]
    public async Task File_mode_a_hocon_file_is_watched_and_the_writer_refuses_the_other_form()
    {
        var file = Path.Combine(_dir.Path, "rules", RuleDocument.HoconName);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        Watch(file);
        Put(file, "version = c1\nmodels { \"Mazda 3\" { overspeed.speed-above = 100 } }");
        await UntilVersion("c1");
        Assert.Equal(100, _store.Current.For("Mazda", "3").Settings.OverspeedAbove);

        var writer = Writer(file);
        var refused = await Assert.ThrowsAsync<RuleDocumentException>(() => writer.WriteAsync("rules.json", Json("c2", 100), TestActor, default));
        Assert.Contains("send a .conf document", refused.Reason);
        Assert.Equal("c1", _store.Current.Version);

        var written = await writer.WriteAsync("rules.conf", "version = c2\nrules.overspeed.speed-above = 95", TestActor, default);
        Assert.Equal(new RulesWritten("c2", file, true), written);
        ExpectMsg<CheckRules>();
        await UntilVersion("c2");
    }

    [Fact]
    public async Task S3_mode_rules_conf_is_loaded_and_rules_json_wins_once_it_exists()
    {
        using var bucket = await Bucket();
        await bucket.UploadAsync(new ReferenceDocument(RuleDocument.HoconName, "version = conf-1\nrules.overspeed.speed-above = 105"), default);
        Watch(RulesFile, _bucket);
        await UntilVersion("conf-1");
        Assert.Equal(105, _store.Current.Defaults.OverspeedAbove);
        Assert.Contains($"s3://{_bucket.Bucket}", _store.Status.Source);

        await bucket.UploadAsync(new ReferenceDocument(RuleDocument.JsonName, Json("json-1", 95)), default);
        await UntilVersion("json-1");
        Assert.Equal(95, _store.Current.Defaults.OverspeedAbove);

        await bucket.UploadAsync(new ReferenceDocument(RuleDocument.JsonName, Json("json-2", 95, ", \"enabled\": \"yes\"")), default);
        await UntilError("rules.overspeed.enabled: must be true or false");
        Assert.Equal("json-1", _store.Current.Version);
        Assert.StartsWith("rules.json: ", _store.Status.Error, StringComparison.Ordinal);

        await bucket.RemoveAsync(RuleDocument.JsonName, default);
        await UntilVersion("conf-1");
        Assert.Null(_store.Status.Error);
        Assert.DoesNotContain(_logs, l => l.Contains(_s3.SecretKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task S3_mode_the_writer_uploads_json_removes_rules_conf_refuses_a_conflict_and_leaves_an_identical_document_alone()
    {
        using var bucket = await Bucket();
        await bucket.UploadAsync(new ReferenceDocument(RuleDocument.HoconName, "version = conf-1"), default);
        var watcher = Watch(RulesFile, _bucket);
        await UntilVersion("conf-1");
        var writer = Writer(RulesFile, _bucket);

        var text = Json("w1", 100);
        var written = await writer.WriteAsync("rules.json", text, watcher, default);
        Assert.Equal(new RulesWritten("w1", $"s3://{_bucket.Bucket}/{RuleDocument.JsonName}", true), written);
        Assert.Null(await bucket.ETagAsync(RuleDocument.HoconName, default));
        Assert.Equal(text, (await bucket.DownloadAsync(RuleDocument.JsonName, default)).Text);
        await UntilVersion("w1");
        var etag = await bucket.ETagAsync(RuleDocument.JsonName, default);

        var conflict = await Assert.ThrowsAsync<RulesConflictException>(() => writer.WriteAsync("rules.json", Json("w1", 90), watcher, default));
        Assert.Contains("\"w1\" is already in force with other content", conflict.Message);
        Assert.Equal(etag, await bucket.ETagAsync(RuleDocument.JsonName, default));

        var again = await writer.WriteAsync("rules.json", text, watcher, default);
        Assert.False(again.Changed);
        Assert.Equal(etag, await bucket.ETagAsync(RuleDocument.JsonName, default));

        var invalid = await Assert.ThrowsAsync<RuleDocumentException>(() => writer.WriteAsync("rules.json", Json("w2", -1), watcher, default));
        Assert.Equal("rules.overspeed.speed-above", invalid.Field);
        Assert.Equal(etag, await bucket.ETagAsync(RuleDocument.JsonName, default));
        await Assert.ThrowsAsync<RuleDocumentException>(() => writer.WriteAsync("rules.yaml", text, watcher, default));
        Assert.Equal("w1", _store.Current.Version);
        Assert.Null(_store.Status.Error);
    }

    private sealed class LogRecorder : ReceiveActor
    {
        public LogRecorder(ConcurrentQueue<string> logs) => Receive<LogEvent>(e => logs.Enqueue(e.ToString()));
    }
}
