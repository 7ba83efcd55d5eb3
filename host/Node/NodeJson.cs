using System.Text.Json.Serialization;

namespace TrafficActors.Host.Node;

/// <summary>JSON string quoting for HOCON overrides (HOCON accepts JSON strings).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class NodeJson : JsonSerializerContext;
