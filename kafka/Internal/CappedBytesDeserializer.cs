using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// Copies a record value into managed memory only up to <paramref name="maxBytes"/>; a longer value is cut there and
/// its real length is added to the record's headers under <paramref name="sizeHeader"/>. An oversized message is
/// rejected anyway, so the node never makes a full managed copy of it: it stays only in librdkafka's fetch buffer
/// (Kafka hands out whole records).
/// </summary>
public sealed class CappedBytesDeserializer(int maxBytes, string sizeHeader) : IDeserializer<byte[]?>
{
    public byte[]? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull) return null;
        if (data.Length <= maxBytes) return data.ToArray();
        context.Headers?.Add(sizeHeader, Encoding.ASCII.GetBytes(data.Length.ToString(CultureInfo.InvariantCulture)));
        return data[..maxBytes].ToArray();
    }
}
