using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrafficActors.Bench;

/// <summary>
/// A phase that did not run leaves its figures NaN (`--only pipeline` has no memory figure); JSON has no NaN, and
/// null is what a script reading the report can test for.
/// </summary>
public sealed class NaNAsNullConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}
