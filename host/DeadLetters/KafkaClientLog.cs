using Confluent.Kafka;

namespace TrafficActors.Host.DeadLetters;

/// <summary>
/// Catches what librdkafka logs for a short-lived verb instead of letting it print a line per reconnect attempt:
/// the verb ends with one clear line of its own, to which the last warning or error adds the broker's detail.
/// </summary>
public sealed class KafkaClientLog
{
    private volatile string? _last;

    /// <summary>The last warning or error librdkafka logged, or null.</summary>
    public string? LastProblem => _last;

    public void OnLog(IClient client, LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning) _last = message.Message;
    }

    public void OnError(IClient client, Error error) => _last = error.Reason;
}
