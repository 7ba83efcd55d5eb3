using Akka.Configuration;

namespace TrafficActors.Settings;

/// <summary>The <c>traffic.dlq</c> section: limits and timeouts of <c>traffic dlq show</c> and <c>traffic dlq redrive</c>.</summary>
public sealed record DlqSettings(
    TimeSpan KafkaTimeout,
    int DefaultLast,
    int MaxLast,
    int ReasonScanDepth,
    TimeSpan ReadTimeout,
    int DisplayBytes,
    int JsonBytes,
    long MaxRedriveFileBytes,
    TimeSpan DeliveryTimeout,
    string RedriveClientId)
{
    public static DlqSettings FromConfig(Config root)
    {
        var d = root.GetConfig("traffic.dlq") ?? throw new ConfigurationException("missing `traffic.dlq` section");
        var settings = new DlqSettings(
            d.GetTimeSpan("kafka-timeout"),
            d.GetInt("show.default-last"),
            d.GetInt("show.max-last"),
            d.GetInt("show.reason-scan-depth"),
            d.GetTimeSpan("show.read-timeout"),
            d.GetInt("show.display-bytes"),
            d.GetInt("show.json-bytes"),
            d.GetLong("redrive.max-file-bytes"),
            d.GetTimeSpan("redrive.delivery-timeout"),
            d.GetString("redrive.client-id"));
        Positive("kafka-timeout", settings.KafkaTimeout);
        Positive("show.read-timeout", settings.ReadTimeout);
        Positive("redrive.delivery-timeout", settings.DeliveryTimeout);
        AtLeastOne("show.max-last", settings.MaxLast);
        AtLeastOne("show.reason-scan-depth", settings.ReasonScanDepth);
        AtLeastOne("show.display-bytes", settings.DisplayBytes);
        AtLeastOne("show.json-bytes", settings.JsonBytes);
        AtLeastOne("redrive.max-file-bytes", settings.MaxRedriveFileBytes);
        if (settings.DefaultLast < 1 || settings.DefaultLast > settings.MaxLast)
            throw new ConfigurationException($"traffic.dlq.show.default-last must be within 1..show.max-last ({settings.MaxLast}), not {settings.DefaultLast}");
        if (string.IsNullOrWhiteSpace(settings.RedriveClientId))
            throw new ConfigurationException("traffic.dlq.redrive.client-id must not be empty");
        return settings;
    }

    private static void Positive(string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero) throw new ConfigurationException($"traffic.dlq.{key} must be above zero, not {value}");
    }

    private static void AtLeastOne(string key, long value)
    {
        if (value < 1) throw new ConfigurationException($"traffic.dlq.{key} must be at least 1, not {value}");
    }
}
