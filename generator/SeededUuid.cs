namespace TrafficActors.Generator;

/// <summary>Version-4 UUIDs drawn from a caller's PRNG, so event ids replay along with the rest of a seeded run.</summary>
internal static class SeededUuid
{
    public static string Next(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        // Version and variant bits make the id indistinguishable in shape from Guid.NewGuid() output.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
