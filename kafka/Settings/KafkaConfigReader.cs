using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace TrafficActors.Kafka;

/// <summary>Shared HOCON helpers for the consumer and producer settings.</summary>
internal static class KafkaConfigReader
{
    /// <summary>The connector's defaults: <c>traffic-actors.kafka</c> of its embedded <c>reference.conf</c>.</summary>
    public static readonly Config Reference = LoadReference();

    /// <summary>A config of quoted string values, so host lists and ids are never parsed as HOCON.</summary>
    public static Config Strings(params (string Key, string Value)[] values) =>
        ConfigurationFactory.ParseString(string.Join("\n", values.Select(v => $"{v.Key} = \"{Escape(v.Value)}\"")));

    public static string RequireString(Config config, string key)
    {
        var value = config.GetString(key, null);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ConfigurationException($"Kafka settings: '{key}' is required");
        }

        return value;
    }

    /// <summary>A HOCON duration (<c>100ms</c>, <c>6s</c>); a malformed one fails naming its key.</summary>
    public static TimeSpan Duration(Config config, string key)
    {
        try
        {
            return config.GetTimeSpan(key);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"Kafka settings: '{key}' is not a duration such as 100ms or 6s ({e.Message})");
        }
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static Config LoadReference()
    {
        using var stream = typeof(KafkaConfigReader).Assembly.GetManifestResourceStream("TrafficActors.Kafka.reference.conf")
            ?? throw new InvalidOperationException("TrafficActors.Kafka: reference.conf is missing from the assembly");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd()).GetConfig("traffic-actors.kafka");
    }

    /// <summary>
    /// Reads the optional <c>properties</c> block as raw librdkafka settings. Unquoted dotted keys
    /// (<c>fetch.max.bytes = 1</c>) are nested objects in HOCON, so the tree is flattened back to dotted names.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Properties(Config config, string key = "properties")
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!config.HasPath(key))
        {
            return result;
        }

        var value = config.GetValue(key);
        if (value is null || !value.IsObject())
        {
            return result;
        }

        Flatten(value.GetObject(), prefix: "", result);
        return result;
    }

    private static void Flatten(HoconObject obj, string prefix, Dictionary<string, string> into)
    {
        foreach (var (name, child) in obj.Items)
        {
            var full = prefix.Length == 0 ? name : prefix + "." + name;
            if (child.IsObject())
            {
                Flatten(child.GetObject(), full, into);
            }
            else
            {
                into[full] = child.GetString();
            }
        }
    }
}
