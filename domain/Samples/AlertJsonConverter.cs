using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrafficActors.Domain;

/// <summary>
/// Reads and writes an <see cref="Alert"/> as one flat JSON object (the sample's fields, then <c>violations</c> and <c>rules_version</c>),
/// the seed's shape, which the serializer cannot derive from a record that holds its sample as one member.
/// </summary>
public sealed class AlertJsonConverter : JsonConverter<Alert>
{
    public override Alert Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException($"an alert is a JSON object, not {root.ValueKind}");
        var sample = root.Deserialize(TrafficJson.Default.EnrichedSample) ?? throw new JsonException("null alert");
        IReadOnlyList<string>? violations = root.TryGetProperty(WireFormat.ViolationsField, out var v)
            ? v.Deserialize(TrafficJson.Default.StringArray)
            : null;
        var version = root.TryGetProperty(WireFormat.RulesVersionField, out var rv) && rv.ValueKind == JsonValueKind.String ? rv.GetString() : null;
        return new Alert(sample, violations!, version);
    }

    public override void Write(Utf8JsonWriter writer, Alert value, JsonSerializerOptions options) =>
        writer.WriteRawValue(WireFormat.ToJson(value), skipInputValidation: true);
}
