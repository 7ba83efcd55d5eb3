using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Spectre.Console;
using TrafficActors.Host.Commands;
using TrafficActors.Kafka;
using TrafficActors.Reference;
using TrafficActors.Settings;

namespace TrafficActors.Host.Init;

/// <summary>
/// <c>traffic init</c>: provisions what the pipeline needs outside itself. Safe to run again: an existing bucket,
/// object or topic is reported and left alone (objects are replaced only with <c>--force</c>).
/// </summary>
public static class ReferenceInitializer
{
    private const int Steps = 3;

    /// <summary>Client id of the admin client that creates the topics, in broker logs.</summary>
    private const string ClientId = "traffic-init";
    private static readonly TimeSpan KafkaTimeout = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(InitOptions options, IAnsiConsole console, CancellationToken ct)
    {
        TrafficSettings settings;
        try
        {
            settings = TrafficSettings.FromConfig(TrafficConfig.Load(overrides: options.ExtraHocon));
        }
        catch (Exception ex) when (ex is Akka.Configuration.ConfigurationException or FormatException or FileNotFoundException)
        {
            return Fail(console, ExitCodes.Usage, $"configuration: {ex.Message}");
        }

        // A Kafka setting librdkafka refuses fails the run before anything else is checked or written.
        var kafka = settings.Kafka.WithBootstrap(options.KafkaBootstrap ?? settings.Kafka.BootstrapServers);
        IAdminClient? admin = null;
        if (!kafka.UseEmbedded)
        {
            try
            {
                admin = KafkaClients.Admin(kafka.ToAdminConfig(ClientId));
            }
            catch (KafkaClientConfigException ex)
            {
                return Fail(console, ExitCodes.Kafka, ex.Message);
            }
        }

        using (admin)
        {
            return await RunStepsAsync(options, settings, kafka, admin, console, ct);
        }
    }

    private static async Task<int> RunStepsAsync(
        InitOptions options, TrafficSettings settings, KafkaSettings kafka, IAdminClient? admin, IAnsiConsole console, CancellationToken ct)
    {
        var s3 = settings.Reference.S3;
        if (s3 is not { IsConfigured: true })
            return Fail(console, ExitCodes.Usage, "no S3 endpoint configured: set AWS_ENDPOINT_URL (environment or .env) or traffic.reference.s3.endpoint");
        if (options.Cars is { } n && n is < 1 or > SeedFleet.MaxCars)
            return Fail(console, ExitCodes.Usage, $"--cars must be 1..{SeedFleet.MaxCars:N0}");
        if (!BucketName.IsValid(s3.Bucket))
            return Fail(console, ExitCodes.InvalidBucket, S3Failure.Describe(new Minio.Exceptions.InvalidBucketNameException(s3.Bucket, "invalid"), s3));

        S3ReferenceBucket bucket;
        try
        {
            bucket = new S3ReferenceBucket(s3);
        }
        catch (ArgumentException ex)
        {
            return Fail(console, ExitCodes.Usage, ex.Message);
        }

        using (bucket)
        {
            console.MarkupLine($"[bold]traffic init[/]: reference data in [bold]{Markup.Escape(s3.ToString())}[/]");
            try
            {
                await EnsureBucketAsync(bucket, console, ct);
                await UploadAsync(bucket, options, settings, console, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return Fail(console, S3Failure.Classify(ex) switch
                {
                    S3FailureKind.Unreachable => ExitCodes.Unreachable,
                    S3FailureKind.Credentials => ExitCodes.Refused,
                    S3FailureKind.InvalidBucket => ExitCodes.InvalidBucket,
                    _ => ExitCodes.Error,
                }, S3Failure.Describe(ex, s3));
            }
        }

        return await CreateTopicsAsync(admin, kafka, console) ? ExitCodes.Ok : ExitCodes.Kafka;
    }

    private static async Task EnsureBucketAsync(S3ReferenceBucket bucket, IAnsiConsole console, CancellationToken ct)
    {
        var name = Markup.Escape(bucket.Settings.Bucket);
        if (await bucket.BucketExistsAsync(ct))
        {
            console.MarkupLine($"[[1/{Steps}]] bucket [bold]{name}[/]: already there");
            return;
        }

        await bucket.MakeBucketAsync(ct);
        console.MarkupLine($"[[1/{Steps}]] bucket [bold]{name}[/]: [green]created[/]");
    }

    private static async Task UploadAsync(S3ReferenceBucket bucket, InitOptions options, TrafficSettings settings, IAnsiConsole console, CancellationToken ct)
    {
        var source = options.Cars is { } n ? $"generated fleet of {n:N0} cars" : "shipped files";
        console.MarkupLine($"[[2/{Steps}]] reference objects ({source}){(options.Force ? ", overwriting" : "")}:");
        var docs = Documents(options.Cars, settings.Reference);
        foreach (var doc in docs)
        {
            var existing = await bucket.ETagAsync(doc.Name, ct) ?? await bucket.ETagAsync(ReferenceCsv.JsonName(doc.Name), ct);
            if (existing is not null && !options.Force)
            {
                console.MarkupLine($"      {doc.Name}: already there (ETag {Markup.Escape(existing)}), left alone; --force replaces it");
                continue;
            }

            var started = Stopwatch.StartNew();
            await bucket.UploadAsync(doc, ct);
            console.MarkupLine($"      {doc.Name}: [green]{(existing is null ? "uploaded" : "replaced")}[/] ({doc.Text.Length:N0} bytes, {started.ElapsedMilliseconds} ms)");
        }
    }

    private static List<ReferenceDocument> Documents(int? cars, ReferenceSettings reference)
    {
        if (cars is { } n)
        {
            return
            [
                new(ReferenceCsv.ModelsFile, ReferenceCsv.WriteModels(SeedFleet.Models)),
                new(ReferenceCsv.ColorsFile, ReferenceCsv.WriteColors(SeedFleet.Colors)),
                new(ReferenceCsv.CarsFile, ReferenceCsv.WriteCars(SeedFleet.Cars(n))),
            ];
        }

        var folder = ReferenceSource.ResolveFolder(reference with { Cars = 0 }, ".");
        var docs = ReferenceCsv.Files.Select(f => new ReferenceDocument(f, File.ReadAllText(Path.Combine(folder, f)))).ToList();
        // Never upload what a node would reject.
        ReferenceCsv.Parse(docs[0], docs[1], docs[2]);
        return docs;
    }

    private static async Task<bool> CreateTopicsAsync(IAdminClient? admin, KafkaSettings k, IAnsiConsole console)
    {
        if (admin is null)
        {
            console.MarkupLine($"[[3/{Steps}]] Kafka topics: skipped, no broker configured (--kafka-bootstrap or TRAFFIC_KAFKA_BOOTSTRAP); the embedded broker creates its own");
            return true;
        }

        var bootstrap = k.BootstrapServers;
        var properties = k.Common.Count > 0 ? $" ({k.Common})" : "";
        console.MarkupLine($"[[3/{Steps}]] Kafka topics on {Markup.Escape(bootstrap + properties)}:");
        var wanted = new (string Name, int Partitions)[]
        {
            (k.RawTopic, k.RawPartitions), (k.EnrichedTopic, k.EnrichedPartitions), (k.AlertsTopic, k.AlertsPartitions), (k.DlqTopic, k.DlqPartitions),
            (k.WindowsTopic, k.WindowsPartitions),
        };
        try
        {
            var metadata = admin.GetMetadata(KafkaTimeout);
            var existing = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).ToDictionary(t => t.Topic, t => t.Partitions.Count);
            var missing = new List<TopicSpecification>();
            foreach (var (name, partitions) in wanted)
            {
                if (existing.TryGetValue(name, out var have))
                    console.MarkupLine($"      {Markup.Escape(name)}: already there ({have} partitions), left alone");
                else
                    missing.Add(new TopicSpecification
                    {
                        Name = name, NumPartitions = partitions, ReplicationFactor = -1,
                        Configs = name == k.WindowsTopic ? new Dictionary<string, string> { ["cleanup.policy"] = k.WindowsCleanupPolicy } : null,
                    });
            }

            if (missing.Count > 0)
            {
                await admin.CreateTopicsAsync(missing, new CreateTopicsOptions { RequestTimeout = KafkaTimeout, OperationTimeout = KafkaTimeout });
                foreach (var t in missing)
                    console.MarkupLine($"      {Markup.Escape(t.Name)}: [green]created[/] ({t.NumPartitions} partitions)");
            }

            return true;
        }
        catch (KafkaException ex)
        {
            Fail(console, ExitCodes.Kafka, $"Kafka at {bootstrap}: {ex.Error.Reason}");
            return false;
        }
    }

    private static int Fail(IAnsiConsole console, int code, string reason)
    {
        console.MarkupLine($"[red]traffic init failed:[/] {Markup.Escape(reason)}");
        return code;
    }
}
