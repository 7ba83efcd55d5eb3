using System.CommandLine;
using System.Globalization;
using Confluent.Kafka;
using TrafficActors.DeadLetters;
using TrafficActors.Host.DeadLetters;
using TrafficActors.Kafka;
using TrafficActors.Settings;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Commands;

/// <summary>
/// <c>traffic dlq show|redrive</c>: list the records the ingest stream rejected, with their reasons, and send
/// corrected ones back to <c>raw-data</c> (admin token). Both talk to Kafka directly, like <c>generate</c>.
/// </summary>
public static class DlqCommand
{
    public static Command Create()
    {
        var cmd = new Command("dlq", "Dead letters: list the rejected records with their reasons, send corrected ones back (redrive needs TRAFFIC_ADMIN_TOKEN)");
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(Redrive());
        return cmd;
    }

    private static Option<string?> BootstrapOption() =>
        new("--kafka-bootstrap") { Description = "Kafka to talk to (host:port,...); the all-in-one prints its embedded broker's address. Default: TRAFFIC_KAFKA_BOOTSTRAP" };

    private static Command Show()
    {
        var bootstrap = BootstrapOption();
        var last = new Option<int?>("--last") { Description = "How many of the newest dead letters, over all partitions (default traffic.dlq.show.default-last, 20; at most max-last, 10000)" };
        var reason = new Option<string?>("--reason") { Description = "Only dead letters whose reason contains this text (case-insensitive)" };
        var json = new Option<bool>("--json") { Description = "One JSON object per line (snake_case) instead of text" };
        var cmd = new Command("show", "List the newest records of the dead-letter topic: time, partition:offset, reason, original key and payload. Exit codes: 0 ok, 2 bad options, 3 Kafka unreachable, 6 Kafka failed a request or refused a setting");
        foreach (var o in new Option[] { bootstrap, last, reason, json }) cmd.Options.Add(o);
        cmd.SetAction(async (r, ct) =>
        {
            const string verb = "traffic dlq show";
            if (!TryLoad(verb, r.GetValue(bootstrap), out var kafka, out var dlq, out _, out var code)) return code;
            DeadLetterQuery query;
            try
            {
                query = DeadLetterQuery.Create(r.GetValue(last), r.GetValue(reason), dlq.DefaultLast, dlq.MaxLast);
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync($"{verb}: {ex.Message}");
                return ExitCodes.Usage;
            }

            var asJson = r.GetValue(json);
            var log = new KafkaClientLog();
            DeadLetterListing listing;
            try
            {
                // librdkafka calls block: off the caller's thread, so Ctrl+C is still heard.
                listing = await Task.Run(() => DeadLetterReader.Read(kafka, dlq, query, asJson ? dlq.JsonBytes : dlq.DisplayBytes, log, ct), ct);
            }
            catch (Exception ex) when (ex is KafkaException or KafkaClientConfigException or TimeoutException)
            {
                return await KafkaFailureAsync(verb, kafka, ex, log);
            }

            Print(listing, query, kafka.DlqTopic, dlq, asJson);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Redrive()
    {
        var bootstrap = BootstrapOption();
        var file = new Option<FileInfo>("--from-file")
        {
            Description = "JSON Lines file: one corrected raw event (a JSON object as on raw-data) per line; blank lines are skipped",
            Required = true,
        };
        var cmd = new Command("redrive", "Send corrected records back to raw-data, keyed by car_id. Every line is validated first; if any is invalid nothing is sent. Needs TRAFFIC_ADMIN_TOKEN. Exit codes: 0 all delivered, 1 some not delivered, 2 invalid file or options, 3 Kafka unreachable, 4 no admin token, 6 Kafka failed a request or refused a setting");
        cmd.Options.Add(bootstrap);
        cmd.Options.Add(file);
        cmd.SetAction(async (r, ct) =>
        {
            const string verb = "traffic dlq redrive";
            // This verb writes to Kafka itself, so no node checks the token: it is required here, as a guard against
            // an unintended run like the verbs that change the cluster; Kafka's own credentials decide what it may write.
            if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(AdminToken.EnvironmentVariable)))
            {
                await Console.Error.WriteLineAsync($"{verb}: refused: {AdminToken.EnvironmentVariable} is not set; redrive writes to raw-data and, like the verbs that change the cluster, needs it");
                return ExitCodes.Refused;
            }

            if (!TryLoad(verb, r.GetValue(bootstrap), out var kafka, out var dlq, out var limits, out var code)) return code;
            var path = r.GetValue(file)!;
            var (records, fileError) = await ReadFileAsync(path, dlq, limits!, ct);
            if (fileError is not null)
            {
                await Console.Error.WriteAsync(fileError);
                return ExitCodes.Usage;
            }

            var log = new KafkaClientLog();
            RedriveOutcome outcome;
            try
            {
                outcome = await Task.Run(() =>
                {
                    DeadLetterRedriver.CheckTopic(kafka, dlq, log);
                    using var producer = DeadLetterRedriver.CreateProducer(kafka, dlq, log);
                    return DeadLetterRedriver.Send(producer, kafka, dlq, records, ct);
                }, ct);
            }
            catch (Exception ex) when (ex is KafkaException or KafkaClientConfigException)
            {
                return await KafkaFailureAsync(verb, kafka, ex, log);
            }

            if (outcome.Failed > 0)
            {
                await Console.Error.WriteLineAsync(
                    $"{verb}: {outcome.Failed.ToString(CultureInfo.InvariantCulture)} of {records.Count.ToString(CultureInfo.InvariantCulture)} records not delivered to {kafka.RawTopic} ({outcome.Delivered.ToString(CultureInfo.InvariantCulture)} delivered): {outcome.FirstError}");
                return ExitCodes.Error;
            }

            Console.WriteLine($"Sent {outcome.Delivered.ToString(CultureInfo.InvariantCulture)} records from {path.Name} to {kafka.RawTopic} on {kafka.BootstrapServers}, marked {Ingest.DeadLetterHeaders.RedrivenFrom}: {kafka.DlqTopic}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The settings both verbs need, and the bootstrap in force; false (with the exit code) when they are unusable.</summary>
    private static bool TryLoad(string verb, string? bootstrapOption, out KafkaSettings kafka, out DlqSettings dlq, out Domain.ValidationLimits? limits, out int code)
    {
        kafka = null!;
        dlq = null!;
        limits = null;
        code = ExitCodes.Ok;
        try
        {
            var config = TrafficConfig.Load();
            var traffic = TrafficSettings.FromConfig(config);
            dlq = DlqSettings.FromConfig(config);
            limits = traffic.Validation;
            kafka = traffic.Kafka.WithBootstrap(bootstrapOption ?? traffic.Kafka.BootstrapServers);
        }
        catch (Exception ex) when (ex is Akka.Configuration.ConfigurationException or FormatException or ArgumentException)
        {
            Console.Error.WriteLine($"{verb}: {ex.Message}");
            code = ExitCodes.Usage;
            return false;
        }

        if (string.IsNullOrWhiteSpace(kafka.BootstrapServers))
        {
            Console.Error.WriteLine($"{verb}: no Kafka to talk to; pass --kafka-bootstrap <host:port> (the all-in-one logs `Kafka bootstrap: ...`)");
            code = ExitCodes.Usage;
            return false;
        }

        return true;
    }

    /// <summary>Reads and validates the whole file; on failure, the text to print (one <c>file:line: reason</c> per bad line).</summary>
    private static async Task<(IReadOnlyList<RedriveRecord> Records, string? Error)> ReadFileAsync(FileInfo path, DlqSettings dlq, Domain.ValidationLimits limits, CancellationToken ct)
    {
        const string verb = "traffic dlq redrive";
        byte[] content;
        try
        {
            if (!path.Exists) return ([], $"{verb}: {path.FullName}: no such file\n");
            if (path.Length > dlq.MaxRedriveFileBytes)
                return ([], $"{verb}: {path.FullName}: {path.Length.ToString(CultureInfo.InvariantCulture)} bytes, over traffic.dlq.redrive.max-file-bytes ({dlq.MaxRedriveFileBytes.ToString(CultureInfo.InvariantCulture)}); split it\n");
            content = await File.ReadAllBytesAsync(path.FullName, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ([], $"{verb}: {path.FullName}: {ex.Message}\n");
        }

        var parsed = RedriveFile.Parse(content, limits);
        if (!parsed.IsValid)
        {
            var lines = string.Concat(parsed.Errors.Select(e => e.Describe(path.ToString()) + "\n"));
            return ([], lines + $"{verb}: {parsed.Errors.Count.ToString(CultureInfo.InvariantCulture)} invalid lines in {path}; nothing sent\n");
        }

        return parsed.Records.Count == 0 ? ([], $"{verb}: {path}: no records (the file is empty or blank); nothing sent\n") : (parsed.Records, null);
    }

    private static void Print(DeadLetterListing listing, DeadLetterQuery query, string topic, DlqSettings dlq, bool asJson)
    {
        var output = Console.Out;
        if (asJson)
        {
            foreach (var d in listing.Letters) output.WriteLine(DeadLetterFormat.Json(d, dlq.JsonBytes));
            return;
        }

        foreach (var d in listing.Letters)
        {
            output.WriteLine(DeadLetterFormat.Text(d, dlq.DisplayBytes));
            output.WriteLine();
        }

        output.WriteLine(Summary(listing, query, topic, dlq));
    }

    /// <summary>The last line of the text listing: what was shown out of what.</summary>
    public static string Summary(DeadLetterListing listing, DeadLetterQuery query, string topic, DlqSettings dlq)
    {
        var holds = $"{topic} holds {N(listing.OnTopic)} records in {N(listing.Partitions)} partitions";
        if (query.Reason is null)
            return listing.Letters.Count == 0 ? $"no dead letters: {holds}" : $"{N(listing.Letters.Count)} dead letters shown, newest last; {holds}";
        var filter = $"with reason containing \"{PayloadText.OneLine(query.Reason)}\"";
        var searched = $"searched the newest {N(listing.Read)} records, at most {N(dlq.ReasonScanDepth)} per partition";
        return listing.Letters.Count == 0
            ? $"no dead letters {filter} ({searched}); {holds}"
            : $"{N(listing.Letters.Count)} of {N(listing.Matched)} dead letters {filter} shown, newest last ({searched}); {holds}";
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>One line on stderr and the exit code: 3 when Kafka did not answer, 6 when it refused or failed.</summary>
    private static async Task<int> KafkaFailureAsync(string verb, KafkaSettings kafka, Exception ex, KafkaClientLog log)
    {
        var code = ExitCode(ex);
        var detail = log.LastProblem is { } last && ex is not KafkaClientConfigException ? $" (last client message: {PayloadText.OneLine(last)})" : "";
        var what = ex switch
        {
            KafkaClientConfigException => ex.Message,
            KafkaException k when code == ExitCodes.Unreachable => $"Kafka at {kafka.BootstrapServers} unreachable: {k.Error.Reason}",
            KafkaException k => $"Kafka at {kafka.BootstrapServers}: {k.Error.Reason}",
            _ => $"Kafka at {kafka.BootstrapServers}: {ex.Message}",
        };
        await Console.Error.WriteLineAsync($"{verb}: {what}{detail}");
        return code;
    }

    /// <summary>No answer (transport failure, timeout, name not resolved) is 3; a setting librdkafka refused or a request Kafka failed is 6.</summary>
    public static int ExitCode(Exception ex) => ex switch
    {
        TimeoutException => ExitCodes.Unreachable,
        KafkaClientConfigException => ExitCodes.Kafka,
        KafkaException { Error.Code: ErrorCode.Local_Transport or ErrorCode.Local_TimedOut or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Resolve or ErrorCode.RequestTimedOut } => ExitCodes.Unreachable,
        _ => ExitCodes.Kafka,
    };
}
