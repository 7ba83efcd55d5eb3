using System.Net.Sockets;
using Minio.Exceptions;
using TrafficActors.Settings;

namespace TrafficActors.Reference;

/// <summary>
/// Turns Minio SDK and transport exceptions into one-line reasons. The text is built here from the endpoint and
/// bucket only, never from the SDK's message, which can carry request details; credentials therefore never leak.
/// </summary>
public static class S3Failure
{
    public static S3FailureKind Classify(Exception ex) => ex switch
    {
        AccessDeniedException or AuthorizationException or ForbiddenException or CredentialsProviderException => S3FailureKind.Credentials,
        InvalidBucketNameException => S3FailureKind.InvalidBucket,
        BucketNotFoundException => S3FailureKind.MissingBucket,
        ConnectionException or HttpRequestException or SocketException or TimeoutException or TaskCanceledException or IOException => S3FailureKind.Unreachable,
        MinioException m when Mentions(m, "SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied") => S3FailureKind.Credentials,
        _ when ex.InnerException is { } inner => Classify(inner),
        _ => S3FailureKind.Other,
    };

    public static string Describe(Exception ex, ReferenceS3Settings s) => Classify(ex) switch
    {
        S3FailureKind.Unreachable => $"S3 endpoint {s.DisplayEndpoint} is unreachable (no answer within {s.RequestTimeout.TotalSeconds:0.#} s or connection refused)",
        S3FailureKind.Credentials => $"S3 at {s.DisplayEndpoint} rejected the credentials for access key '{Mask(s.AccessKey)}' (check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or MINIO_ROOT_USER/MINIO_ROOT_PASSWORD)",
        S3FailureKind.InvalidBucket => $"bucket name '{s.Bucket}' is invalid (3-63 characters: lower-case letters, digits, '.', '-')",
        S3FailureKind.MissingBucket => $"bucket '{s.Bucket}' does not exist at {s.DisplayEndpoint} (run `traffic init`)",
        _ => $"S3 request to {s.DisplayEndpoint} failed ({ex.GetType().Name}{(ex is MinioException { Response.Code: { Length: > 0 } code } ? ": " + code : "")})",
    };

    // The access key id is not secret, but showing only its start is enough to spot the wrong one.
    private static string Mask(string key) => key.Length <= 4 ? new string('*', key.Length) : key[..4] + "…";

    private static bool Mentions(MinioException m, params string[] codes) =>
        codes.Any(c => (m.Response?.Code ?? "").Equals(c, StringComparison.Ordinal) || m.Message.Contains(c, StringComparison.Ordinal));
}
