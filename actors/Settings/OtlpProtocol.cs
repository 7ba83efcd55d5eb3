namespace TrafficActors.Settings;

/// <summary>How OTLP reaches the collector (<c>traffic.telemetry.otlp.protocol</c>).</summary>
public enum OtlpProtocol
{
    Grpc,
    HttpProtobuf,
}
