using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using TrafficActors.Domain;
using TrafficActors.Host.Node;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using TrafficActors.Web.Api;
using TrafficActors.Web.Management;
using TrafficActors.Web.OpenApi;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Api;

/// <summary>
/// The OpenAPI documents of a running node, read back with Microsoft.OpenApi's reader: each is valid, served only
/// on its own listener, and describes every route its listener maps with the responses the route declares, whose
/// schemas carry the property names the route writes; every operation that takes query input documents its 400
/// in the problem shape, and bad input gets exactly that shape.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class OpenApiDocumentTests(ITestOutputHelper output)
{
    private const string Json = "application/json";

    [Fact]
    public async Task Each_listener_serves_a_valid_document_of_every_route_it_maps_with_the_declared_responses()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, "traffic.management.port = 0"));
        using var http = new HttpClient();

        var api = await ReadAsync(http, node.BaseUrl + ApiDocuments.ApiPath);
        var management = await ReadAsync(http, node.ManagementUrl + ApiDocuments.ManagementPath);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(node.ManagementUrl + ApiDocuments.ApiPath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(node.BaseUrl + ApiDocuments.ManagementPath)).StatusCode);

        var routes = node.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Where(IsRoute).ToArray();
        var apiRoutes = routes.Where(e => ApiDocuments.Serves(e.Metadata, Listener.Public)).ToArray();
        var managementRoutes = routes.Where(e => ApiDocuments.Serves(e.Metadata, Listener.Management)).ToArray();
        Assert.Contains(apiRoutes, e => e.RoutePattern.RawText == "/api/windows");
        Assert.Contains(apiRoutes, e => e.RoutePattern.RawText == "/ready");
        Assert.Contains(managementRoutes, e => e.RoutePattern.RawText == "/cluster");
        Describes(api, apiRoutes);
        Describes(management, managementRoutes);
        Assert.Equal(apiRoutes.Length, Operations(api).Count());
        Assert.Equal(managementRoutes.Length, Operations(management).Count());

        foreach (var document in new[] { api, management })
        {
            var withQuery = Operations(document).Where(o => o.Operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true).ToArray();
            Assert.NotEmpty(withQuery);
            foreach (var (path, method, operation) in withQuery)
            {
                Assert.True(operation.Responses!.TryGetValue("400", out var bad), $"{method} {path} takes query input but documents no 400");
                AssertSchema(document, bad.Content![Json].Schema!, typeof(ProblemResponse), $"{method} {path} 400");
            }
        }

        // The routes' own checks and the framework's binding of a query value both answer with the problem shape.
        var badInput = new[] { "/api/windows?last=0", "/api/windows?size=7x", "/api/alerts/recent?limit=501", "/api/windows?last=abc", "/api/alerts/recent?limit=1e9" }
            .Select(u => node.BaseUrl + u).Append(node.ManagementUrl + "/windows?last=abc");
        foreach (var url in badInput)
        {
            using var answer = await http.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            var problem = (OpenApiSchema)api.Components!.Schemas![nameof(ProblemResponse)];
            Assert.Equal(problem.Properties!.Keys.Order(), body.RootElement.EnumerateObject().Select(p => p.Name).Order());
            Assert.All(problem.Required!, r => Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty(r).ValueKind));
        }
    }

    /// <summary>Routes a client calls: every mapped method of the listener but the SignalR hub and the documents themselves.</summary>
    private static bool IsRoute(RouteEndpoint e) =>
        e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null
        && e.Metadata.GetMetadata<HubMetadata>() is null
        && e.RoutePattern.RawText is { } pattern && !pattern.StartsWith("/openapi/", StringComparison.Ordinal);

    private async Task<OpenApiDocument> ReadAsync(HttpClient http, string url)
    {
        var text = await http.GetStringAsync(url);
        var read = OpenApiDocument.Parse(text, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.True(read.Diagnostic!.Errors.Count == 0, $"{url}: {string.Join("; ", read.Diagnostic.Errors)}");
        var document = read.Document!;
        var invalid = document.Validate(ValidationRuleSet.GetDefaultRuleSet())!.ToArray();
        Assert.True(invalid.Length == 0, $"{url}: {string.Join("; ", invalid.Select(e => e.ToString()))}");
        output.WriteLine($"{url}: {document.Paths.Count} paths, {document.Components?.Schemas?.Count} schemas");
        return document;
    }

    private static void Describes(OpenApiDocument document, IEnumerable<RouteEndpoint> routes)
    {
        foreach (var route in routes)
        {
            var path = route.RoutePattern.RawText!;
            Assert.True(document.Paths.TryGetValue(path, out var item), $"{path} is not in {document.Info.Title}");
            var declared = route.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>();
            Assert.Contains(declared, d => d.StatusCode == 200 && d.Type is not null);
            foreach (var method in route.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            {
                Assert.True(item.Operations!.TryGetValue(HttpMethod.Parse(method), out var operation), $"{method} {path} is not in {document.Info.Title}");
                Assert.False(string.IsNullOrWhiteSpace(operation.Summary), $"{method} {path} has no summary");
                foreach (var d in declared)
                {
                    var status = d.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Assert.True(operation.Responses!.TryGetValue(status, out var response), $"{method} {path} documents no {status}");
                    if (d.Type is not null) AssertSchema(document, response.Content![Json].Schema!, d.Type, $"{method} {path} {status}");
                }
            }
        }
    }

    /// <summary>The schema is the type's (or an array of it) with the names the route writes.</summary>
    private static void AssertSchema(OpenApiDocument document, IOpenApiSchema schema, Type type, string where)
    {
        if (type.IsArray)
        {
            Assert.True(schema.Type == JsonSchemaType.Array, $"{where}: not an array");
            AssertSchema(document, schema.Items!, type.GetElementType()!, where);
            return;
        }

        // A named component, or inline where the generator cannot derive the type (see AlertSchema).
        if (schema is OpenApiSchemaReference reference)
        {
            Assert.Equal(type.Name, reference.Reference.Id);
            schema = document.Components!.Schemas![type.Name];
        }

        Assert.True(schema.Type == JsonSchemaType.Object, $"{where}: {type.Name} is not an object");
        Assert.Equal(Written(type, where).Order(), schema.Properties!.Keys.Order());
    }

    /// <summary>The property names a route writes for <paramref name="type"/>, from the JSON context it writes with.</summary>
    private static IEnumerable<string> Written(Type type, string where)
    {
        // Its converter writes the sample's fields, then the violations.
        if (type == typeof(Alert)) return Written(typeof(EnrichedSample), where).Append(WireFormat.ViolationsField);
        var info = ApiJson.Default.GetTypeInfo(type) ?? ManagementJson.Default.GetTypeInfo(type) ?? TrafficJson.Default.GetTypeInfo(type)
            ?? throw new InvalidOperationException($"{where}: {type.Name} is in no JSON context");
        Assert.True(info.Kind == JsonTypeInfoKind.Object, $"{where}: {type.Name} is written by a converter; say here what it writes");
        return info.Properties.Select(p => p.Name);
    }

    private static IEnumerable<(string Path, HttpMethod Method, OpenApiOperation Operation)> Operations(OpenApiDocument document) =>
        document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (p.Key, o.Key, o.Value)));
}
