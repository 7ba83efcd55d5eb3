namespace TrafficActors.Reference;

/// <summary>Why an S3 call failed, as far as an operator needs to know to fix it.</summary>
public enum S3FailureKind
{
    Unreachable,
    Credentials,
    InvalidBucket,
    MissingBucket,
    Other,
}
