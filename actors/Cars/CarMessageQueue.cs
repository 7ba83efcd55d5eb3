using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace TrafficActors.Cars;

/// <summary>
/// Unbounded queue for one car. The common case, one message waiting, lives in a field; only a burst allocates a
/// queue, which is dropped again once drained, so an idle car holds no buffer at all. Guarded by a lock on the
/// queue itself: contention is rare (one car's messages come from its shard, its window and its own writes).
/// </summary>
public sealed class CarMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private Envelope _head;
    private bool _hasHead;
    private Queue<Envelope>? _rest;
    private int _count;

    public bool HasMessages => Volatile.Read(ref _count) > 0;

    public int Count => Volatile.Read(ref _count);

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        lock (this)
        {
            // Behind anything already waiting, so order is kept.
            if (!_hasHead && _rest is null)
            {
                _head = envelope;
                _hasHead = true;
            }
            else
            {
                (_rest ??= new Queue<Envelope>()).Enqueue(envelope);
            }

            _count++;
        }
    }

    public bool TryDequeue(out Envelope envelope)
    {
        lock (this)
        {
            if (_hasHead)
            {
                envelope = _head;
                _head = default;
                _hasHead = false;
            }
            else if (_rest is not null && _rest.TryDequeue(out envelope))
            {
                if (_rest.Count == 0) _rest = null;
            }
            else
            {
                envelope = default;
                return false;
            }

            _count--;
            return true;
        }
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
    }
}
