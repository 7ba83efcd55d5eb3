namespace TrafficActors.Kafka;

/// <summary>
/// librdkafka refused a client's configuration (an unknown property, an invalid value, a certificate it cannot
/// read). The message names the property and never holds a secret's value; librdkafka's own exception is not
/// kept as the inner one, since its message may.
/// </summary>
public sealed class KafkaClientConfigException : Exception
{
    public KafkaClientConfigException(string message)
        : base(message)
    {
    }
}
