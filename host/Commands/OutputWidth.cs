namespace TrafficActors.Host.Commands;

/// <summary>Console width used when output is redirected and no terminal says how wide it is.</summary>
public static class OutputWidth
{
    public const int Redirected = 200;
}
