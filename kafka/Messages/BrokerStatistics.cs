namespace TrafficActors.Kafka;

/// <summary>One broker as a client sees it in a statistics report.</summary>
/// <param name="Name">librdkafka's broker name, <c>host:port/nodeid</c>.</param>
/// <param name="NodeId">The broker's node id.</param>
/// <param name="State">Connection state (<c>UP</c>, <c>DOWN</c>, <c>CONNECT</c>, ...).</param>
/// <param name="WaitingRequests">Requests waiting to be sent to the broker.</param>
/// <param name="InFlightRequests">Requests sent and waiting for the broker's answer.</param>
/// <param name="RoundTripAverage">Mean request round trip over the last interval; null when no request completed in it.</param>
/// <param name="RoundTripP99">99th percentile of the same; null as above.</param>
public sealed record BrokerStatistics(
    string Name,
    int NodeId,
    string State,
    long WaitingRequests,
    long InFlightRequests,
    TimeSpan? RoundTripAverage,
    TimeSpan? RoundTripP99);
