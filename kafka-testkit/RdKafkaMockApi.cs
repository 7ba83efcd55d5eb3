using System.Runtime.InteropServices;

namespace TrafficActors.Kafka.Testkit;

/// <summary>
/// Function pointers into the very librdkafka image Confluent.Kafka loaded. A plain [DllImport("librdkafka")]
/// could bind a different file (the redist's default build needs libsasl2.so.3, which Debian 12 lacks, so
/// Confluent.Kafka falls back to another flavour); two copies of librdkafka in one process must not mix handles.
/// </summary>
internal sealed unsafe class RdKafkaMockApi
{
    private static readonly Lazy<RdKafkaMockApi> Lazy = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly delegate* unmanaged<IntPtr> _confNew;
    private readonly delegate* unmanaged<IntPtr, byte*, byte*, byte*, nuint, int> _confSet;
    private readonly delegate* unmanaged<IntPtr, void> _confDestroy;
    private readonly delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr> _new;
    private readonly delegate* unmanaged<IntPtr, void> _destroy;
    private readonly delegate* unmanaged<int, IntPtr> _err2str;
    private readonly delegate* unmanaged<IntPtr, int, IntPtr> _mockClusterNew;
    private readonly delegate* unmanaged<IntPtr, void> _mockClusterDestroy;
    private readonly delegate* unmanaged<IntPtr, IntPtr> _mockClusterBootstraps;
    private readonly delegate* unmanaged<IntPtr, byte*, int, int, int> _mockTopicCreate;
    private readonly delegate* unmanaged<IntPtr, int, void> _mockGroupInitialRebalanceDelayMs;
    private readonly delegate* unmanaged<IntPtr, int, int> _mockBrokerSetDown;
    private readonly delegate* unmanaged<IntPtr, int, int> _mockBrokerSetUp;
    private readonly delegate* unmanaged<IntPtr, byte*, int, long, int> _mockPartitionDeleteRecords;

    private RdKafkaMockApi(IntPtr lib, string path)
    {
        LibraryPath = path;
        _confNew = (delegate* unmanaged<IntPtr>)Export(lib, "rd_kafka_conf_new");
        _confSet = (delegate* unmanaged<IntPtr, byte*, byte*, byte*, nuint, int>)Export(lib, "rd_kafka_conf_set");
        _confDestroy = (delegate* unmanaged<IntPtr, void>)Export(lib, "rd_kafka_conf_destroy");
        _new = (delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr>)Export(lib, "rd_kafka_new");
        _destroy = (delegate* unmanaged<IntPtr, void>)Export(lib, "rd_kafka_destroy");
        _err2str = (delegate* unmanaged<int, IntPtr>)Export(lib, "rd_kafka_err2str");
        _mockClusterNew = (delegate* unmanaged<IntPtr, int, IntPtr>)Export(lib, "rd_kafka_mock_cluster_new");
        _mockClusterDestroy = (delegate* unmanaged<IntPtr, void>)Export(lib, "rd_kafka_mock_cluster_destroy");
        _mockClusterBootstraps = (delegate* unmanaged<IntPtr, IntPtr>)Export(lib, "rd_kafka_mock_cluster_bootstraps");
        _mockTopicCreate = (delegate* unmanaged<IntPtr, byte*, int, int, int>)Export(lib, "rd_kafka_mock_topic_create");
        _mockGroupInitialRebalanceDelayMs =
            (delegate* unmanaged<IntPtr, int, void>)Export(lib, "rd_kafka_mock_group_initial_rebalance_delay_ms");
        _mockBrokerSetDown = (delegate* unmanaged<IntPtr, int, int>)Export(lib, "rd_kafka_mock_broker_set_down");
        _mockBrokerSetUp = (delegate* unmanaged<IntPtr, int, int>)Export(lib, "rd_kafka_mock_broker_set_up");
        _mockPartitionDeleteRecords = (delegate* unmanaged<IntPtr, byte*, int, long, int>)Export(lib, "rd_kafka_mock_partition_delete_records");
    }

    public static RdKafkaMockApi Instance => Lazy.Value;

    /// <summary>Path of the librdkafka image in use, for diagnostics.</summary>
    public string LibraryPath { get; }

    public IntPtr ConfNew() => _confNew();

    public int ConfSet(IntPtr conf, byte* name, byte* value, byte* errstr, nuint errstrSize) =>
        _confSet(conf, name, value, errstr, errstrSize);

    public void ConfDestroy(IntPtr conf) => _confDestroy(conf);

    public IntPtr New(int type, IntPtr conf, byte* errstr, nuint errstrSize) => _new(type, conf, errstr, errstrSize);

    public void Destroy(IntPtr rk) => _destroy(rk);

    public IntPtr Err2Str(int err) => _err2str(err);

    public IntPtr MockClusterNew(IntPtr rk, int brokers) => _mockClusterNew(rk, brokers);

    public void MockClusterDestroy(IntPtr mc) => _mockClusterDestroy(mc);

    public IntPtr MockClusterBootstraps(IntPtr mc) => _mockClusterBootstraps(mc);

    public int MockTopicCreate(IntPtr mc, byte* topic, int partitions, int replicationFactor) =>
        _mockTopicCreate(mc, topic, partitions, replicationFactor);

    public void MockGroupInitialRebalanceDelayMs(IntPtr mc, int delayMs) => _mockGroupInitialRebalanceDelayMs(mc, delayMs);

    public int MockBrokerSetDown(IntPtr mc, int brokerId) => _mockBrokerSetDown(mc, brokerId);

    public int MockBrokerSetUp(IntPtr mc, int brokerId) => _mockBrokerSetUp(mc, brokerId);

    public int MockPartitionDeleteRecords(IntPtr mc, byte* topic, int partition, long beforeOffset) =>
        _mockPartitionDeleteRecords(mc, topic, partition, beforeOffset);

    private static RdKafkaMockApi Load()
    {
        // Reading the version makes Confluent.Kafka pick and load its native library now.
        _ = Confluent.Kafka.Library.Version;
        var path = FindLoadedLibrary()
            ?? throw new InvalidOperationException("Confluent.Kafka did not load a librdkafka image found in /proc/self/maps");

        // dlopen of an already mapped path returns the same image (reference counted), never a second copy.
        var lib = NativeLibrary.Load(path);
        return new RdKafkaMockApi(lib, path);
    }

    private static string? FindLoadedLibrary()
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }

            var path = line[slash..].Trim();
            var file = Path.GetFileName(path);
            if (file.Contains("librdkafka", StringComparison.Ordinal) && file.Contains(".so", StringComparison.Ordinal))
            {
                return path;
            }
        }

        return null;
    }

    private static IntPtr Export(IntPtr lib, string name) => NativeLibrary.GetExport(lib, name);
}
