using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TrafficActors.Tests.Support;

/// <summary>
/// An OTLP/HTTP collector for tests: accepts <c>POST /v1/traces</c> and <c>/v1/metrics</c> in protobuf, as the
/// OpenTelemetry exporter sends them, and keeps the spans it received. The request is decoded field by field
/// with Google.Protobuf's reader, after opentelemetry-proto's trace.proto: no generated classes needed for the
/// handful of fields a test looks at.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();

    private OtlpTraceReceiver(WebApplication app) => _app = app;

    /// <summary>The base address exporters are pointed at (http/protobuf appends /v1/&lt;signal&gt;).</summary>
    public string Url { get; private set; } = "";

    public IReadOnlyList<ReceivedSpan> Spans => _spans.ToArray();

    public static async Task<OtlpTraceReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpTraceReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            foreach (var span in ReadExport(body.ToArray())) receiver._spans.Enqueue(span);
            // An empty ExportTraceServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private static List<ReceivedSpan> ReadExport(byte[] bytes)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in Fields(bytes, 1))
        {
            // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
            var service = Fields(resourceSpans, 1).SelectMany(r => Attributes(r, 1)).FirstOrDefault(a => a.Key == "service.name").Value ?? "";
            foreach (var scope in Fields(resourceSpans, 2))
                foreach (var span in Fields(scope, 2))
                    spans.Add(ReadSpan(span, service));
        }

        return spans;
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6;
    //        repeated KeyValue attributes = 9; Status status = 15 { string message = 2; StatusCode code = 3; } }
    private static ReceivedSpan ReadSpan(byte[] bytes, string service)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var kind = 0;
        var status = 0;
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 4: parent = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 5: name = input.ReadString(); break;
                case 6: kind = input.ReadEnum(); break;
                case 15: status = StatusCode(input.ReadBytes().ToByteArray()); break;
                default: input.SkipLastField(); break;
            }
        }

        return new ReceivedSpan(service, traceId, spanId, parent, name, kind, status, Attributes(bytes, 9).ToDictionary(a => a.Key, a => a.Value));
    }

    private static int StatusCode(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        uint tag;
        var code = 0;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 3) code = input.ReadEnum();
            else input.SkipLastField();
        }

        return code;
    }

    // KeyValue { string key = 1; AnyValue value = 2; }, values as text.
    private static IEnumerable<KeyValuePair<string, string>> Attributes(byte[] bytes, int field)
    {
        foreach (var kv in Fields(bytes, field))
        {
            var key = "";
            var value = "";
            var input = new CodedInputStream(kv);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == 1) key = input.ReadString();
                else if (WireFormat.GetTagFieldNumber(tag) == 2) value = AnyValue(input.ReadBytes().ToByteArray());
                else input.SkipLastField();
            }

            yield return new(key, value);
        }
    }

    // AnyValue { oneof { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; ... } }
    private static string AnyValue(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        var tag = input.ReadTag();
        return WireFormat.GetTagFieldNumber(tag) switch
        {
            1 => input.ReadString(),
            2 => input.ReadBool() ? "true" : "false",
            3 => input.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            4 => input.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "",
        };
    }

    /// <summary>The contents of every length-delimited field <paramref name="number"/> of a message.</summary>
    private static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                found.Add(input.ReadBytes().ToByteArray());
            else input.SkipLastField();
        }

        return found;
    }
}
