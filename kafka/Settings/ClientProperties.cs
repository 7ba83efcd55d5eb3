using Config = Akka.Configuration.Config;
using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// Raw librdkafka properties for a set of clients (e.g. <c>security.protocol</c>, <c>sasl.*</c>, <c>ssl.*</c>,
/// <c>client.rack</c> for every client of one cluster). Immutable; <see cref="ToString"/> masks secrets, so it can
/// be logged and printed.
/// </summary>
public sealed class ClientProperties
{
    /// <summary>What a secret value is shown as.</summary>
    public const string Mask = "*****";

    private readonly Dictionary<string, string> _values;

    private ClientProperties(Dictionary<string, string> values) => _values = values;

    public static ClientProperties Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    public IReadOnlyDictionary<string, string> Values => _values;

    public int Count => _values.Count;

    /// <summary>
    /// Reads the object at <paramref name="key"/> of <paramref name="config"/> (missing = none). Quoted keys
    /// (<c>"sasl.mechanism" = PLAIN</c>) and unquoted dotted keys (<c>sasl.mechanism = PLAIN</c>) mean the same.
    /// </summary>
    public static ClientProperties FromConfig(Config config, string key = "properties")
    {
        ArgumentNullException.ThrowIfNull(config);
        return From(KafkaConfigReader.Properties(config, key));
    }

    public static ClientProperties From(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            copy[key] = value;
        }

        return new ClientProperties(copy);
    }

    /// <summary>These properties with <paramref name="overrides"/> over them, key by key.</summary>
    public ClientProperties Then(IEnumerable<KeyValuePair<string, string>> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var merged = new Dictionary<string, string>(_values, StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
        {
            merged[key] = value;
        }

        return new ClientProperties(merged);
    }

    /// <summary>Sets every property on <paramref name="config"/>, over what it had.</summary>
    public T ApplyTo<T>(T config)
        where T : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var (key, value) in _values)
        {
            config.Set(key, value);
        }

        return config;
    }

    /// <summary>
    /// Whether a property's value must never be shown: passwords, secrets and private keys (librdkafka's
    /// <c>sasl.password</c>, <c>ssl.key.password</c>, <c>ssl.keystore.password</c>, <c>ssl.key.pem</c>,
    /// <c>sasl.oauthbearer.client.secret</c>, <c>sasl.oauthbearer.config</c>, ...).
    /// </summary>
    public static bool IsSecret(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Contains("password", StringComparison.OrdinalIgnoreCase)
            || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
            || key.Equals("ssl.key.pem", StringComparison.OrdinalIgnoreCase)
            || key.Equals("sasl.oauthbearer.config", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><paramref name="text"/> with the value of every secret property of <paramref name="config"/> masked.</summary>
    public static string Redact(string text, IEnumerable<KeyValuePair<string, string>> config)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(config);
        foreach (var (key, value) in config)
        {
            if (IsSecret(key) && !string.IsNullOrEmpty(value))
            {
                text = text.Replace(value, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary><c>key=value</c> pairs in key order, secrets masked; empty when there are none.</summary>
    public override string ToString() =>
        string.Join(", ", _values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={(IsSecret(p.Key) ? Mask : p.Value)}"));
}
