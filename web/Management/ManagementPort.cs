namespace TrafficActors.Web.Management;

/// <summary>The local port the management listener is bound to, known before the host starts.</summary>
public sealed record ManagementPort(int Value);
