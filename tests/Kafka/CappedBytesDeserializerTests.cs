using System.Text;
using Confluent.Kafka;
using TrafficActors.Kafka;
using Xunit;

namespace TrafficActors.Tests.Kafka;

[Trait(Tier.Name, Tier.Fast)]
public sealed class CappedBytesDeserializerTests
{
    private static readonly CappedBytesDeserializer Deserializer = new(8, "original-size");

    [Fact]
    public void Values_within_the_limit_are_copied_whole_and_untouched()
    {
        var headers = new Headers();
        var value = Deserializer.Deserialize("12345678"u8, false, new SerializationContext(MessageComponentType.Value, "t", headers));
        Assert.Equal("12345678"u8.ToArray(), value);
        Assert.Empty(headers);
        Assert.Null(Deserializer.Deserialize([], true, new SerializationContext(MessageComponentType.Value, "t", headers)));
    }

    [Fact]
    public void A_longer_value_is_cut_and_its_real_size_recorded()
    {
        var headers = new Headers();
        var big = new byte[1 << 20];
        var value = Deserializer.Deserialize(big, false, new SerializationContext(MessageComponentType.Value, "t", headers));
        Assert.Equal(8, value!.Length);
        Assert.Equal((1 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString(headers.GetLastBytes("original-size")));
    }
}
