using System.Collections.Concurrent;
using System.Threading.Channels;
using Akka.Event;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace TrafficActors.Kafka;

/// <summary>
/// Owns the Kafka consumer and the dedicated thread that polls it. Every call on the consumer happens on that
/// thread: librdkafka runs rebalance callbacks inside Consume, and Close/Dispose must not race with Consume.
/// Other threads only flip flags, read counters and update <see cref="PartitionTracker"/>s.
/// </summary>
internal sealed class ConsumerRunner : IConsumerControl
{
    private static readonly TimeSpan PausedPollTimeout = TimeSpan.FromMilliseconds(10);

    private readonly ConsumerSettings _settings;
    private readonly IReadOnlyCollection<string> _topics;
    private readonly Channel<PolledMessage> _channel;
    private readonly ConcurrentDictionary<TopicPartition, PartitionTracker> _trackers = new();

    // The trackers' current set as an array, refreshed on every change: the polling loop walks it on every
    // iteration, and ConcurrentDictionary.Values copies the dictionary into a new list each time.
    private volatile PartitionTracker[] _trackerList = [];

    // Messages that did not fit into the channel; kept in poll order so per-partition order survives a pause.
    private readonly Queue<PolledMessage> _overflow = new();

    // Every partition librdkafka holds paused for this runner, assigned or not. librdkafka keeps a partition's
    // pause flag across revocation and re-assignment, so a revoked partition stays here until it is resumed:
    // forgetting it would leave it paused for good when the group hands it back while the source is fetching.
    private readonly HashSet<TopicPartition> _pausedPartitions = new();

    // Actions a test runs on the polling thread, e.g. to pause a partition behind the runner's back.
    private readonly ConcurrentQueue<Action<IConsumer<byte[]?, byte[]?>>> _pollThreadActions = new();
    private readonly StallWatchdog _watchdog;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _fetchingStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _startGate = new();

    private ILoggingAdapter _log = NoLogger.Instance;

    // Shares the consumer's connections; used only to wake librdkafka's broker threads after a resume.
    private IAdminClient? _admin;
    private long _repeated;
    private Thread? _thread;
    private volatile bool _stopFetchingRequested;
    private volatile bool _shutdownRequested;
    private volatile bool _paused;
    private volatile IReadOnlyList<TopicPartition> _assignment = Array.Empty<TopicPartition>();
    private volatile int _overflowCount;
    private volatile Confluent.Kafka.Error? _fatal;
    private volatile IReadOnlyList<TopicPartition> _stalled = Array.Empty<TopicPartition>();
    private volatile int _pausedAssigned;

    // Set by the rebalance callbacks (polling thread, inside Consume); the loop reconciles pause state after it.
    private bool _assignmentChanged;
    private long _stalls;

    // The watchdog's broker question in flight, if any (polling thread only).
    private ProgressQuery? _progressQuery;
    private long _consumed;
    private long _emitted;
    private long _processed;
    private long _pauseCount;
    private long _partitionsAssigned;
    private long _partitionsRevoked;

    public ConsumerRunner(ConsumerSettings settings, IReadOnlyCollection<string> topics)
    {
        _settings = settings;
        _topics = topics;
        _watchdog = new StallWatchdog(settings.StallTimeout);
        _channel = Channel.CreateBounded<PolledMessage>(new BoundedChannelOptions(settings.BufferSize)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<PolledMessage> Reader => _channel.Reader;

    /// <summary>True once the stream must not emit anything more.</summary>
    public bool FetchingStopped => _stopFetchingRequested;

    public Task Stopped => _stopped.Task;

    public IReadOnlyList<TopicPartition> Assignment => _assignment;

    public bool IsPaused => _paused;

    public ConsumerMetrics Metrics => new(
        Interlocked.Read(ref _consumed),
        Interlocked.Read(ref _emitted),
        Interlocked.Read(ref _processed),
        InFlight(),
        _channel.Reader.Count + _overflowCount,
        _paused,
        Interlocked.Read(ref _pauseCount),
        Interlocked.Read(ref _partitionsAssigned),
        Interlocked.Read(ref _partitionsRevoked),
        _assignment,
        _pausedAssigned,
        Interlocked.Read(ref _stalls),
        _stalled);

    public void Start(ILoggingAdapter log)
    {
        lock (_startGate)
        {
            if (_thread is not null || _shutdownRequested)
            {
                if (_thread is null)
                {
                    _channel.Writer.TryComplete();
                    _stopped.TrySetResult();
                }

                return;
            }

            _log = log;
            _thread = new Thread(Run)
            {
                IsBackground = true,
                Name = $"kafka-consumer-{_settings.GroupId}-{_settings.ClientId}",
            };
            _thread.Start();
        }
    }

    /// <summary>The next message waiting in the channel, registered as emitted; null when none is waiting.</summary>
    public CommittableMessage? TakeOne()
    {
        while (_channel.Reader.TryRead(out var polled))
        {
            if (Emit(polled) is { } message) return message;
        }

        return null;
    }

    /// <summary>Up to <paramref name="max"/> waiting messages in poll order, registered as emitted; null when none is waiting.</summary>
    public IReadOnlyList<CommittableMessage>? TakeBatch(int max)
    {
        List<CommittableMessage>? batch = null;
        while ((batch?.Count ?? 0) < max && _channel.Reader.TryRead(out var polled))
        {
            if (Emit(polled) is { } message) (batch ??= new List<CommittableMessage>(Math.Min(max, _channel.Reader.Count + 1))).Add(message);
        }

        return batch;
    }

    /// <summary>Registers a message the stage is about to push; null when its partition was revoked meanwhile.</summary>
    private CommittableMessage? Emit(PolledMessage polled)
    {
        var result = polled.Result;
        if (!polled.Tracker.Emit(result.Offset.Value))
        {
            return null;
        }

        Interlocked.Increment(ref _emitted);
        return new CommittableMessage(result, new CommittableOffset(polled.Tracker, this, result.TopicPartitionOffset));
    }

    public void OnProcessed() => Interlocked.Increment(ref _processed);

    /// <summary>Runs <paramref name="action"/> on the polling thread at its next turn (tests only).</summary>
    internal void OnPollThread(Action<IConsumer<byte[]?, byte[]?>> action) => _pollThreadActions.Enqueue(action);

    public Task StopFetching()
    {
        _stopFetchingRequested = true;
        lock (_startGate)
        {
            if (_thread is null)
            {
                _fetchingStopped.TrySetResult();
            }
        }

        return Task.WhenAny(_fetchingStopped.Task, _stopped.Task).Unwrap();
    }

    public async Task DrainAndShutdown(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        await StopFetching().ConfigureAwait(false);
        while (InFlight() > 0 && DateTime.UtcNow < deadline && !_stopped.Task.IsCompleted)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        if (InFlight() > 0)
        {
            _log.Warning("Kafka consumer {0}: drain timed out with {1} messages unprocessed; they will be re-delivered",
                _settings.GroupId, InFlight());
        }

        await Shutdown().ConfigureAwait(false);
    }

    public Task Shutdown()
    {
        _stopFetchingRequested = true;
        _shutdownRequested = true;
        lock (_startGate)
        {
            if (_thread is null)
            {
                // Never started (stream not run): nothing to close.
                _channel.Writer.TryComplete();
                _fetchingStopped.TrySetResult();
                _stopped.TrySetResult();
            }
        }

        return _stopped.Task;
    }

    private long InFlight()
    {
        long sum = 0;
        foreach (var tracker in _trackerList)
        {
            sum += tracker.InFlight;
        }

        return sum;
    }

    private void Run()
    {
        Exception? failure = null;
        IConsumer<byte[]?, byte[]?>? consumer = null;
        try
        {
            consumer = Build();
            _admin = new DependentAdminClientBuilder(consumer.Handle).Build();
            consumer.Subscribe(_topics);
            Loop(consumer);
            StoreProcessed(consumer);
            CommitOnShutdown(consumer);
            consumer.Close();
        }
        catch (Exception ex)
        {
            failure = ex;
            _log.Error(ex, "Kafka consumer {0} failed", _settings.GroupId);
        }
        finally
        {
            try
            {
                _admin?.Dispose();
                consumer?.Dispose();
            }
            catch (Exception ex)
            {
                failure ??= ex;
            }

            foreach (var tracker in _trackers.Values)
            {
                tracker.Revoke();
            }

            _trackers.Clear();
            _trackerList = [];
            _assignment = Array.Empty<TopicPartition>();
            _paused = false;
            _channel.Writer.TryComplete(failure);
            _fetchingStopped.TrySetResult();
            if (failure is null)
            {
                _stopped.TrySetResult();
            }
            else
            {
                _stopped.TrySetException(failure);
            }
        }
    }

    private void Loop(IConsumer<byte[]?, byte[]?> consumer)
    {
        var fetchingStopped = false;
        while (!_shutdownRequested)
        {
            if (_fatal is { } fatal)
            {
                throw new KafkaException(fatal);
            }

            StoreProcessed(consumer);
            while (_pollThreadActions.TryDequeue(out var action))
            {
                action(consumer);
            }

            if (_stopFetchingRequested && !fetchingStopped)
            {
                // Unemitted messages are dropped, not stored: the next owner of the partition reads them again.
                PauseAll(consumer);
                _paused = true;
                _overflow.Clear();
                _overflowCount = 0;
                _channel.Writer.TryComplete();
                fetchingStopped = true;
                _fetchingStopped.TrySetResult();
            }

            if (!fetchingStopped)
            {
                FlushOverflow(consumer);
            }

            if (_paused || fetchingStopped)
            {
                _watchdog.Hold(Environment.TickCount64);
            }
            else
            {
                CheckProgress(consumer);
            }

            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                result = consumer.Consume(_paused || fetchingStopped ? Min(PausedPollTimeout, _settings.PollTimeout) : _settings.PollTimeout);
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                _log.Warning("Kafka consumer {0}: {1}", _settings.GroupId, ex.Error);
                continue;
            }
            finally
            {
                if (_assignmentChanged)
                {
                    Reconcile(consumer, fetchingStopped);
                }
            }

            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            Interlocked.Increment(ref _consumed);
            if (_watchdog.Progressed(result.TopicPartition, Environment.TickCount64))
            {
                PublishStalled();
                _log.Info("Kafka consumer {0}: {1} is consuming again after its stall", _settings.GroupId, result.TopicPartition);
            }

            if (fetchingStopped)
            {
                // A partition assigned after the stop is not paused yet.
                PauseOne(consumer, result.TopicPartition);
                continue;
            }

            if (!_trackers.TryGetValue(result.TopicPartition, out var tracker))
            {
                // Only possible if librdkafka hands out a message of a partition we already gave up.
                continue;
            }

            if (!tracker.Accept(result.Offset.Value))
            {
                if (Interlocked.Increment(ref _repeated) == 1)
                {
                    _log.Warning("Kafka consumer {0}: the client returned {1} at offset {2} again within its assignment; records already handed downstream are skipped",
                        _settings.GroupId, result.TopicPartition, result.Offset.Value);
                }

                continue;
            }

            var polled = new PolledMessage(result, tracker);
            if (_overflow.Count == 0 && _channel.Writer.TryWrite(polled))
            {
                continue;
            }

            _overflow.Enqueue(polled);
            _overflowCount = _overflow.Count;
            if (!_paused)
            {
                PauseAll(consumer);
                _paused = true;
                Interlocked.Increment(ref _pauseCount);
            }
            else
            {
                // Assigned after the pause began: pause it too, and keep its message in order behind the others.
                PauseOne(consumer, result.TopicPartition);
            }
        }
    }

    private void FlushOverflow(IConsumer<byte[]?, byte[]?> consumer)
    {
        while (_overflow.TryPeek(out var head) && _channel.Writer.TryWrite(head))
        {
            _overflow.Dequeue();
        }

        _overflowCount = _overflow.Count;

        // Resume only once the stream has eaten into the buffer, so a stream running at the edge of its speed
        // does not flip partitions between paused and fetching on every message.
        if (_paused && _overflow.Count == 0 && _channel.Reader.Count <= _settings.BufferSize / 2)
        {
            // librdkafka purged its fetch queue on pause and restarts fetching from the position after the last
            // message it returned to us, so nothing is skipped or repeated. Revoked partitions stay paused in
            // librdkafka and in _pausedPartitions until they come back (see Reconcile).
            var assigned = consumer.Assignment;
            var resume = assigned.Where(_pausedPartitions.Contains).ToList();
            if (resume.Count > 0)
            {
                Resume(consumer, resume);
                _pausedPartitions.ExceptWith(resume);
            }

            _paused = false;
            _pausedAssigned = 0;
        }
    }

    /// <summary>
    /// Resumes fetching and wakes the partitions' broker threads. librdkafka applies a resume on its main thread
    /// without waking the broker thread that fetches the partition; with every partition of a broker paused that
    /// thread sleeps up to its fixed 1 s block, so each resume cost up to a second of idle stream. Any request
    /// queued to a broker wakes its thread: a ListOffsets for the resumed partitions reaches exactly their leaders.
    /// Its answer is not needed.
    /// </summary>
    private void Resume(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyCollection<TopicPartition> partitions)
    {
        consumer.Resume(partitions);
        if (_admin is null)
        {
            return;
        }

        var specs = partitions.Select(tp => new TopicPartitionOffsetSpec { TopicPartition = tp, OffsetSpec = OffsetSpec.Latest() }).ToList();
        _admin.ListOffsetsAsync(specs, new ListOffsetsOptions { RequestTimeout = _settings.SessionTimeout })
            .ContinueWith(
                t => _log.Debug("Kafka consumer {0}: wake-up request after resume failed: {1}", _settings.GroupId, t.Exception?.GetBaseException().Message),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void PauseAll(IConsumer<byte[]?, byte[]?> consumer)
    {
        var assigned = consumer.Assignment;
        var pause = assigned.Where(tp => !_pausedPartitions.Contains(tp)).ToList();
        if (pause.Count > 0)
        {
            consumer.Pause(pause);
            _pausedPartitions.UnionWith(pause);
        }

        _pausedAssigned = assigned.Count;
    }

    private void PauseOne(IConsumer<byte[]?, byte[]?> consumer, TopicPartition tp)
    {
        if (_pausedPartitions.Add(tp))
        {
            consumer.Pause(new[] { tp });
            _pausedAssigned++;
        }
    }

    /// <summary>
    /// After every assignment change, makes librdkafka's pause flags match what the source wants: all assigned
    /// partitions paused while the source is paused or stopping, none otherwise. A partition given back to us
    /// still carries the pause flag of its previous assignment, and one new to us carries none.
    /// </summary>
    private void Reconcile(IConsumer<byte[]?, byte[]?> consumer, bool fetchingStopped)
    {
        _assignmentChanged = false;
        var assigned = consumer.Assignment;
        if (_paused || fetchingStopped)
        {
            PauseAll(consumer);
        }
        else
        {
            var resume = assigned.Where(_pausedPartitions.Contains).ToList();
            if (resume.Count > 0)
            {
                _log.Info("Kafka consumer {0}: resuming {1}, paused before the rebalance gave them back",
                    _settings.GroupId, string.Join(",", resume));
                Resume(consumer, resume);
                _pausedPartitions.ExceptWith(resume);
            }

            _pausedAssigned = 0;
        }

        _watchdog.Assigned(assigned, Environment.TickCount64);
        PublishStalled();
    }

    /// <summary>
    /// Asks the broker about partitions that returned nothing for the stall timeout although the source fetches.
    /// One that is behind the high watermark is stalled: the first time on this consumer it is resumed and sought
    /// to its position; after that the source fails, so the stream restarts with a fresh consumer. The high
    /// watermarks come from one asynchronous ListOffsets request, evaluated on a later turn of the loop. Only a
    /// partition that has delivered nothing since its assignment needs its committed offset, asked synchronously and
    /// bounded by a quarter of the timeout, so a broker that cannot answer holds the polling thread at most that long
    /// per check.
    /// </summary>
    private void CheckProgress(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (_progressQuery is { } pending)
        {
            if (pending.Highs.IsCompleted)
            {
                _progressQuery = null;
                EvaluateProgress(consumer, pending);
            }

            return;
        }

        var now = Environment.TickCount64;
        var due = _watchdog.Due(now);
        if (due.Count == 0 || _admin is null)
        {
            return;
        }

        // A quarter of the timeout bounds the broker calls, so the partition's next check is still due on time.
        var bound = _settings.StallTimeout / 4;
        var positions = Positions(consumer, due, bound);
        var specs = positions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p.Partition, OffsetSpec = OffsetSpec.Latest() }).ToList();
        if (specs.Count == 0)
        {
            return;
        }

        _progressQuery = new ProgressQuery(now, positions, _admin.ListOffsetsAsync(specs, new ListOffsetsOptions { RequestTimeout = bound }));
    }

    private void EvaluateProgress(IConsumer<byte[]?, byte[]?> consumer, ProgressQuery query)
    {
        IEnumerable<ListOffsetsResultInfo> answers = query.Highs.Status == TaskStatus.RanToCompletion
            ? query.Highs.Result.ResultInfos
            : query.Highs.Exception?.GetBaseException() is ListOffsetsException partial
                ? partial.Result.ResultInfos
                : [];
        var highs = answers.Where(a => !a.TopicPartitionOffsetError.Error.IsError)
            .ToDictionary(a => a.TopicPartitionOffsetError.TopicPartition, a => a.TopicPartitionOffsetError.Offset.Value);
        var now = Environment.TickCount64;
        var assigned = consumer.Assignment.ToHashSet();
        var behind = new List<(TopicPartitionOffset Position, long High)>();
        foreach (var (tp, position) in query.Positions)
        {
            // Delivered meanwhile, revoked, or the broker could not say: nothing to act on now.
            if (!assigned.Contains(tp) || _watchdog.ProgressedSince(tp, query.Started) || !highs.TryGetValue(tp, out var high))
            {
                continue;
            }

            if (position is { } next && high > next)
            {
                behind.Add((new TopicPartitionOffset(tp, new Offset(next)), high));
            }
            else if (position is not null)
            {
                _watchdog.CaughtUp(tp, now);
            }
        }

        if (behind.Count == 0)
        {
            return;
        }

        Interlocked.Increment(ref _stalls);
        var partitions = behind.Select(b => b.Position.TopicPartition).ToList();
        var described = string.Join(", ", behind.Select(b => $"{b.Position.TopicPartition} at {b.Position.Offset.Value} of {b.High}"));
        _settings.StallDetected?.Invoke(partitions);
        if (_watchdog.HealedBefore)
        {
            _stalled = partitions;
            throw new KafkaException(new Confluent.Kafka.Error(ErrorCode.Local_State,
                $"consumer stalled again: no message for {_settings.StallTimeout.TotalSeconds:0.#} s from {described}; restarting the source"));
        }

        _log.Warning("Kafka consumer {0}: no message for {1:0.#} s from {2} although the broker holds more; resuming and seeking them",
            _settings.GroupId, _settings.StallTimeout.TotalSeconds, described);
        Resume(consumer, partitions);
        _pausedPartitions.ExceptWith(partitions);
        foreach (var (position, _) in behind)
        {
            consumer.Seek(position);
        }

        _watchdog.Healing(partitions, now);
        PublishStalled();
    }

    /// <summary>Copies the watchdog's stalled set for readers on other threads (metrics, readiness).</summary>
    private void PublishStalled() => _stalled = _watchdog.Stalled.ToArray();

    /// <summary>Next offset to fetch per partition: librdkafka's position, else the committed offset, else unknown.</summary>
    private List<(TopicPartition Partition, long? Position)> Positions(
        IConsumer<byte[]?, byte[]?> consumer, IReadOnlyList<TopicPartition> partitions, TimeSpan bound)
    {
        var result = new List<(TopicPartition, long?)>(partitions.Count);
        var unknown = new List<TopicPartition>();
        foreach (var tp in partitions)
        {
            var position = consumer.Position(tp);
            if (position.Value >= 0)
            {
                result.Add((tp, position.Value));
            }
            else
            {
                unknown.Add(tp);
            }
        }

        if (unknown.Count == 0)
        {
            return result;
        }

        try
        {
            foreach (var committed in consumer.Committed(unknown, bound))
            {
                result.Add((committed.TopicPartition, committed.Offset.Value >= 0 ? committed.Offset.Value : null));
            }
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            _log.Debug("Kafka consumer {0}: committed offsets unavailable: {1}", _settings.GroupId, ex.Error);
        }

        return result;
    }

    private void StoreProcessed(IConsumer<byte[]?, byte[]?> consumer)
    {
        foreach (var tracker in _trackerList)
        {
            if (!tracker.TryTakeStorable(out var next))
            {
                continue;
            }

            try
            {
                consumer.StoreOffset(new TopicPartitionOffset(tracker.TopicPartition, new Offset(next)));
            }
            catch (KafkaException ex) when (!ex.Error.IsFatal)
            {
                // E.g. the partition was just lost; the new owner re-reads from the last commit.
                _log.Warning("Kafka consumer {0}: cannot store offset {1} for {2}: {3}",
                    _settings.GroupId, next, tracker.TopicPartition, ex.Error);
            }
        }
    }

    /// <summary>
    /// A commit is refused while the group rebalances (the mock cluster refuses it for the whole rebalance);
    /// keep polling so this member rejoins the new generation, then commit what it still owns.
    /// </summary>
    private void CommitOnShutdown(IConsumer<byte[]?, byte[]?> consumer)
    {
        var deadline = DateTime.UtcNow + Min(_settings.SessionTimeout, TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                consumer.Commit();
                return;
            }
            catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_NoOffset)
            {
                return;
            }
            catch (KafkaException ex) when (!ex.Error.IsFatal && IsRebalancing(ex.Error.Code) && DateTime.UtcNow < deadline)
            {
                var result = consumer.Consume(PausedPollTimeout);
                if (result is not null)
                {
                    // Fetching is over; the message stays unstored and is read again by the next owner.
                    PauseOne(consumer, result.TopicPartition);
                }

                StoreProcessed(consumer);
            }
            catch (KafkaException ex) when (!ex.Error.IsFatal)
            {
                _log.Warning("Kafka consumer {0}: commit on shutdown failed: {1}; uncommitted messages will be re-delivered",
                    _settings.GroupId, ex.Error);
                return;
            }
        }
    }

    private static bool IsRebalancing(ErrorCode code) =>
        code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId
            or ErrorCode.Local_State;

    private void CommitStored(IConsumer<byte[]?, byte[]?> consumer, string reason)
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing was stored since the last commit.
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            _log.Warning("Kafka consumer {0}: commit on {1} failed: {2}", _settings.GroupId, reason, ex.Error);
        }
    }

    private IConsumer<byte[]?, byte[]?> Build()
    {
        var config = _settings.ToConsumerConfig();
        var builder = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetValueDeserializer(_settings is { MaxValueBytes: { } max, ValueSizeHeader: { } header } ? new CappedBytesDeserializer(max, header) : Deserializers.ByteArray)
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal)
                {
                    _fatal = error;
                    _log.Error("Kafka consumer {0}: fatal error {1}", _settings.GroupId, error);
                }
                else
                {
                    _log.Warning("Kafka consumer {0}: {1}", _settings.GroupId, error);
                }
            })
            .SetLogHandler((_, message) =>
            {
                if (message.Level <= SyslogLevel.Warning)
                {
                    _log.Warning("librdkafka {0} {1}: {2}", message.Name, message.Facility, message.Message);
                }
            })
            .SetPartitionsAssignedHandler((consumer, partitions) =>
            {
                foreach (var tp in partitions)
                {
                    var fresh = new PartitionTracker(tp);
                    _trackers.AddOrUpdate(tp, fresh, (_, stale) =>
                    {
                        stale.Revoke();
                        return fresh;
                    });
                }

                _trackerList = _trackers.Values.ToArray();

                Interlocked.Add(ref _partitionsAssigned, partitions.Count);
                _assignment = consumer.Assignment.Concat(partitions).Distinct().ToArray();
                _assignmentChanged = true;
                _log.Info("Kafka consumer {0}: assigned {1}", _settings.GroupId, string.Join(",", partitions));
                _settings.PartitionsAssigned?.Invoke(partitions);
            })
            .SetPartitionsRevokedHandler((consumer, partitions) =>
            {
                // Still the owner here: store and commit what is processed, then forget the partitions.
                StoreProcessed(consumer);
                CommitStored(consumer, "revocation");
                Forget(consumer, partitions.Select(p => p.TopicPartition).ToArray());
            })
            .SetPartitionsLostHandler((consumer, partitions) =>
            {
                // Someone else may own these already; committing now could overwrite their progress.
                Forget(consumer, partitions.Select(p => p.TopicPartition).ToArray());
            });
        if (_settings.StatisticsReceived is { } statistics) builder.SetStatisticsHandler((_, json) => statistics(json));
        return KafkaClients.Build("consumer", config, builder.Build);
    }

    private void Forget(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyCollection<TopicPartition> partitions)
    {
        var gone = partitions.ToHashSet();
        foreach (var tp in gone)
        {
            if (_trackers.TryRemove(tp, out var tracker))
            {
                tracker.Revoke();
            }
        }

        _trackerList = _trackers.Values.ToArray();

        if (_overflow.Count > 0)
        {
            var keep = _overflow.Where(m => !gone.Contains(m.Result.TopicPartition)).ToArray();
            _overflow.Clear();
            foreach (var m in keep)
            {
                _overflow.Enqueue(m);
            }

            _overflowCount = _overflow.Count;
        }

        // _pausedPartitions keeps them: librdkafka keeps their pause flags for a later re-assignment.
        _assignmentChanged = true;
        Interlocked.Add(ref _partitionsRevoked, gone.Count);
        _assignment = consumer.Assignment.Where(tp => !gone.Contains(tp)).ToArray();
        _log.Info("Kafka consumer {0}: revoked {1}", _settings.GroupId, string.Join(",", gone));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Partitions due for a progress check, where each stood when asked, and the broker's answer to come.</summary>
    private sealed record ProgressQuery(long Started, IReadOnlyList<(TopicPartition Partition, long? Position)> Positions, Task<ListOffsetsResult> Highs);
}
