namespace TrafficActors.Host.Init;

/// <summary>Exit codes of <c>traffic init</c> (documented in the README).</summary>
public static class InitExitCode
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadConfiguration = 2;
    public const int InvalidBucket = 3;
    public const int Unreachable = 4;
    public const int Credentials = 5;
    public const int Kafka = 6;
}
