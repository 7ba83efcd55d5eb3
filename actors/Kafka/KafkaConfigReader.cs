using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace TrafficActors.Kafka;

/// <summary>Shared HOCON helpers for the consumer and producer settings.</summary>
internal static class KafkaConfigReader
{
    public static string RequireString(Config config, string key)
    {
        var value = config.GetString(key, null);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ConfigurationException($"Kafka settings: '{key}' is required");
        }

        return value;
    }

    public static TimeSpan Duration(Config config, string key, TimeSpan fallback) =>
        config.HasPath(key) ? config.GetTimeSpan(key, fallback) : fallback;

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
