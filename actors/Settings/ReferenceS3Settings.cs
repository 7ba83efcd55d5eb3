namespace TrafficActors.Settings;

/// <summary>
/// Where the reference data lives in S3 (<c>traffic.reference.s3</c>). The secret key is kept out of
/// <see cref="ToString"/> so the record can be logged or shown in errors safely.
/// </summary>
public sealed record ReferenceS3Settings(
    string Endpoint,
    string AccessKey,
    string SecretKey,
    string Region,
    string Bucket,
    TimeSpan PollInterval,
    TimeSpan MinBackoff,
    TimeSpan MaxBackoff,
    TimeSpan RequestTimeout)
{
    /// <summary>S3 is used only when an endpoint is configured; otherwise nodes read the local folder.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>The endpoint as scheme://host:port, without any user info or path, safe to print.</summary>
    public string DisplayEndpoint =>
        Uri.TryCreate(Endpoint, UriKind.Absolute, out var u) ? $"{u.Scheme}://{u.Host}:{u.Port}" : "(invalid endpoint)";

    public static ReferenceS3Settings FromConfig(Akka.Configuration.Config c) => new(
        c.GetString("endpoint", "").Trim(),
        c.GetString("access-key", "").Trim(),
        c.GetString("secret-key", ""),
        c.GetString("region", "").Trim(),
        c.GetString("bucket", "").Trim(),
        c.GetTimeSpan("poll-interval"),
        c.GetTimeSpan("min-backoff"),
        c.GetTimeSpan("max-backoff"),
        c.GetTimeSpan("request-timeout"));

    public override string ToString() => $"s3://{Bucket} at {DisplayEndpoint}";
}
