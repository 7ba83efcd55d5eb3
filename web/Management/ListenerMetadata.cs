namespace TrafficActors.Web.Management;

/// <summary>Endpoint metadata naming the listener an endpoint belongs to (see <see cref="ListenerMatcherPolicy"/>).</summary>
public sealed record ListenerMetadata(Listener Listener)
{
    public static ListenerMetadata Management { get; } = new(Listener.Management);

    public static ListenerMetadata Both { get; } = new(Listener.Both);
}
