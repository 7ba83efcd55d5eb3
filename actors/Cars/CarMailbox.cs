using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace TrafficActors.Cars;

/// <summary>
/// Mailbox of car entities (<see cref="ConfigPath"/> in traffic.conf). The default mailbox holds a
/// ConcurrentQueue whose first segment alone is ~800 bytes per actor, allocated up front; a fleet is mostly idle
/// cars, so this one holds a single waiting message inline and allocates a buffer only during bursts.
/// </summary>
public sealed class CarMailbox(Akka.Actor.Settings settings, Config config) : MailboxType(settings, config), IProducesMessageQueue<CarMessageQueue>
{
    /// <summary>Where traffic.conf configures this mailbox; every system that hosts cars must load that file.</summary>
    public const string ConfigPath = "traffic-car-mailbox";

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CarMessageQueue();
}
