using System.Runtime.InteropServices;
using System.Text;

namespace TrafficActors.Kafka.Testkit;

/// <summary>
/// librdkafka's in-process mock cluster: real Kafka-protocol brokers on 127.0.0.1 (random ports), for tests and
/// local runs where no broker can be installed. Data lives in memory; each partition keeps only a few MiB and
/// silently drops older data, so use enough partitions and consume while producing.
/// </summary>
public sealed unsafe class EmbeddedKafkaCluster : IDisposable
{
    private const int RdKafkaProducer = 0;

    private readonly object _gate = new();
    private readonly RdKafkaMockApi _api;
    private IntPtr _rk;
    private IntPtr _mc;

    private EmbeddedKafkaCluster(RdKafkaMockApi api, IntPtr rk, IntPtr mc, string bootstrapServers, int brokerCount)
    {
        _api = api;
        _rk = rk;
        _mc = mc;
        BootstrapServers = bootstrapServers;
        BrokerCount = brokerCount;
    }

    /// <summary>Comma-separated host:port list of the mock brokers.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers; broker ids run from 1 to this value.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a mock cluster with <paramref name="brokers"/> brokers (ids 1..brokers).</summary>
    public static EmbeddedKafkaCluster Start(int brokers = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException(
                "The embedded Kafka broker runs on Linux only (it reaches librdkafka's mock cluster through /proc/self/maps). " +
                "Point --kafka-bootstrap (or TRAFFIC_KAFKA_BOOTSTRAP) at a real Kafka broker instead.");
        }

        var api = RdKafkaMockApi.Instance;

        // The mock cluster needs an owning client handle; a producer is the cheapest kind (no group machinery).
        var conf = api.ConfNew();
        var errstr = stackalloc byte[512];
        SetConf(api, conf, "log_level", "3", errstr);
        var rk = api.New(RdKafkaProducer, conf, errstr, 512);
        if (rk == IntPtr.Zero)
        {
            api.ConfDestroy(conf);
            throw new InvalidOperationException("rd_kafka_new failed: " + Marshal.PtrToStringUTF8((IntPtr)errstr));
        }

        var mc = api.MockClusterNew(rk, brokers);
        if (mc == IntPtr.Zero)
        {
            api.Destroy(rk);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        // The default 3 s initial rebalance delay dominates short test runs.
        api.MockGroupInitialRebalanceDelayMs(mc, 0);
        var bootstraps = Marshal.PtrToStringUTF8(api.MockClusterBootstraps(mc))
            ?? throw new InvalidOperationException("mock cluster returned no bootstrap servers");
        return new EmbeddedKafkaCluster(api, rk, mc, bootstraps, brokers);
    }

    /// <summary>Creates a topic directly in the mock cluster (its CreateTopics admin API is not implemented).</summary>
    public void CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            var mc = LiveCluster();
            var bytes = Utf8Z(name);
            int err;
            fixed (byte* p = bytes)
            {
                err = _api.MockTopicCreate(mc, p, partitions, replicationFactor);
            }

            ThrowIfError(err, $"create topic '{name}'");
        }
    }

    /// <summary>
    /// Drops the records of one partition before <paramref name="beforeOffset"/>, as retention would: its log start
    /// moves there and the memory is freed. The client's DeleteRecords admin call is not served by this broker.
    /// </summary>
    public void DeleteRecords(string topic, int partition, long beforeOffset)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        lock (_gate)
        {
            var mc = LiveCluster();
            var bytes = Utf8Z(topic);
            int err;
            fixed (byte* p = bytes)
            {
                err = _api.MockPartitionDeleteRecords(mc, p, partition, beforeOffset);
            }

            ThrowIfError(err, $"delete records of {topic}[{partition}] before offset {beforeOffset}");
        }
    }

    /// <summary>Disconnects broker <paramref name="brokerId"/> and refuses new connections; its data is kept.</summary>
    public void SetBrokerDown(int brokerId)
    {
        lock (_gate)
        {
            ThrowIfError(_api.MockBrokerSetDown(LiveCluster(), brokerId), $"set broker {brokerId} down");
        }
    }

    /// <summary>Lets broker <paramref name="brokerId"/> accept connections again.</summary>
    public void SetBrokerUp(int brokerId)
    {
        lock (_gate)
        {
            ThrowIfError(_api.MockBrokerSetUp(LiveCluster(), brokerId), $"set broker {brokerId} up");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            // The mock cluster runs on threads of the owning handle, so it must go first.
            if (_mc != IntPtr.Zero)
            {
                _api.MockClusterDestroy(_mc);
                _mc = IntPtr.Zero;
            }

            if (_rk != IntPtr.Zero)
            {
                _api.Destroy(_rk);
                _rk = IntPtr.Zero;
            }
        }
    }

    private IntPtr LiveCluster()
    {
        ObjectDisposedException.ThrowIf(_mc == IntPtr.Zero, this);
        return _mc;
    }

    private void ThrowIfError(int err, string what)
    {
        if (err != 0)
        {
            throw new InvalidOperationException(
                $"librdkafka mock: {what} failed: {Marshal.PtrToStringUTF8(_api.Err2Str(err))} ({err})");
        }
    }

    private static void SetConf(RdKafkaMockApi api, IntPtr conf, string name, string value, byte* errstr)
    {
        var n = Utf8Z(name);
        var v = Utf8Z(value);
        fixed (byte* pn = n, pv = v)
        {
            if (api.ConfSet(conf, pn, pv, errstr, 512) != 0)
            {
                throw new InvalidOperationException(
                    $"rd_kafka_conf_set {name}: " + Marshal.PtrToStringUTF8((IntPtr)errstr));
            }
        }
    }

    private static byte[] Utf8Z(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
