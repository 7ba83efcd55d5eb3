using Akka.Configuration;

namespace TrafficActors.Settings;

/// <summary>The <c>traffic.telemetry.otlp</c> section: the collector metrics and traces are exported to, if any.</summary>
public sealed record OtlpSettings(Uri? Endpoint, OtlpProtocol Protocol)
{
    public bool Enabled => Endpoint is not null;

    public static OtlpSettings FromConfig(Config root)
    {
        var o = root.GetConfig("traffic.telemetry.otlp") ?? throw new ConfigurationException("missing `traffic.telemetry.otlp` section");
        var text = o.GetString("endpoint")?.Trim();
        Uri? endpoint = null;
        if (!string.IsNullOrEmpty(text)
            && (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
            throw new ConfigurationException($"traffic.telemetry.otlp.endpoint must be an http:// or https:// address, not '{text}'");
        var protocol = o.GetString("protocol")?.Trim() switch
        {
            "grpc" => OtlpProtocol.Grpc,
            "http/protobuf" => OtlpProtocol.HttpProtobuf,
            var other => throw new ConfigurationException($"traffic.telemetry.otlp.protocol must be \"grpc\" or \"http/protobuf\", not '{other}'"),
        };
        return new OtlpSettings(endpoint, protocol);
    }

    /// <summary>
    /// The address one signal is sent to: over http/protobuf each signal has its own path under the base address
    /// (the exporter appends it only to an address it read from the environment itself).
    /// </summary>
    public Uri? SignalEndpoint(string signal) => Endpoint is null || Protocol == OtlpProtocol.Grpc
        ? Endpoint
        : new Uri(Endpoint.AbsoluteUri.TrimEnd('/') + "/v1/" + signal);
}
