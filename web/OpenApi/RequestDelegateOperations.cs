using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using TrafficActors.Web.Management;

namespace TrafficActors.Web.OpenApi;

/// <summary>
/// Describes the endpoints of a listener that are a plain request delegate rather than a route handler (the
/// health probes from <c>MapHealthChecks</c>), which the API explorer behind the document does not see: each from
/// its HTTP method, summary, tags and declared responses.
/// </summary>
public sealed class RequestDelegateOperations(Listener listener) : IOpenApiDocumentTransformer
{
    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var endpoints = context.ApplicationServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var metadata = endpoint.Metadata;
            if (metadata.GetMetadata<System.Reflection.MethodInfo>() is not null) continue;
            if (metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods) continue;
            var responses = metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>();
            if (responses.Count == 0 || !ApiDocuments.Serves(metadata, listener)) continue;

            var operation = new OpenApiOperation
            {
                Summary = metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary,
                Description = metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description,
                Responses = new OpenApiResponses(),
            };
            foreach (var tag in metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags))
            {
                document.Tags ??= new HashSet<OpenApiTag>();
                if (!document.Tags.Any(t => t.Name == tag)) document.Tags.Add(new OpenApiTag { Name = tag });
                (operation.Tags ??= new HashSet<OpenApiTagReference>()).Add(new OpenApiTagReference(tag, document));
            }
            foreach (var r in responses)
                operation.Responses[r.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)] = await ResponseAsync(document, context, r, cancellationToken);

            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            document.Paths ??= new OpenApiPaths();
            if (!document.Paths.TryGetValue(path, out var item))
                document.Paths[path] = item = new OpenApiPathItem();
            foreach (var method in methods.HttpMethods)
                ((OpenApiPathItem)item).AddOperation(HttpMethod.Parse(method), operation);
        }
    }

    private static async Task<OpenApiResponse> ResponseAsync(
        OpenApiDocument document, OpenApiDocumentTransformerContext context, IProducesResponseTypeMetadata declared, CancellationToken ct)
    {
        var response = new OpenApiResponse { Description = ReasonPhrases.GetReasonPhrase(declared.StatusCode) };
        if (declared.Type is not { } type) return response;
        var id = type.Name;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(id))
            document.Components.Schemas[id] = await context.GetOrCreateSchemaAsync(type, null, ct);
        response.Content = declared.ContentTypes.ToDictionary(
            c => c, _ => new OpenApiMediaType { Schema = new OpenApiSchemaReference(id, document) });
        return response;
    }
}
