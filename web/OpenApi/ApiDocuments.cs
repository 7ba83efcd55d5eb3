using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using TrafficActors.Web.Management;

namespace TrafficActors.Web.OpenApi;

/// <summary>
/// The OpenAPI documents of the node's two listeners, each served on its own listener: <c>/openapi/v1.json</c>
/// describes the HTTP API (and the health probes), <c>/openapi/management.json</c> the management endpoint.
/// </summary>
public static class ApiDocuments
{
    public const string Api = "v1";
    public const string Management = "management";
    public const string ApiPath = "/openapi/v1.json";
    public const string ManagementPath = "/openapi/management.json";

    public static IServiceCollection AddTrafficOpenApi(this IServiceCollection services)
    {
        // The documents' schemas come from the JSON options of minimal APIs, while every route writes with its own
        // source-generated context (ApiJson, ManagementJson). With the contexts in those options the schemas follow
        // the same generated metadata; but a context resolving for other options takes their naming and number
        // handling, so the options say what the contexts say: snake_case names, numbers as JSON numbers.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ManagementJson.Default);
        });
        Add(services, Api, Listener.Public, "TrafficActors HTTP API",
            "Read-only JSON API of a web-role node, and the health probes both listeners serve.");
        Add(services, Management, Listener.Management, "TrafficActors management endpoint",
            "Health, inspection and cluster changes of one node, as the traffic verbs read them. Routes that change membership need the admin bearer token.");
        return services;
    }

    /// <summary>Maps each document on its listener, so each port describes only what it serves.</summary>
    public static IEndpointRouteBuilder MapTrafficOpenApi(this IEndpointRouteBuilder app)
    {
        // Without {documentName} in the pattern the default document (v1) is served.
        app.MapOpenApi(ApiPath);
        app.MapOpenApi("/openapi/{documentName:regex(^" + Management + "$)}.json").WithMetadata(ListenerMetadata.Management);
        return app;
    }

    /// <summary>Whether an endpoint answers on <paramref name="listener"/> (endpoints on both answer on each).</summary>
    public static bool Serves(IEnumerable<object> metadata, Listener listener) =>
        (metadata.OfType<ListenerMetadata>().LastOrDefault()?.Listener ?? Listener.Public) is var on && (on == listener || on == Listener.Both);

    private static void Add(IServiceCollection services, string name, Listener listener, string title, string description) =>
        services.AddOpenApi(name, o =>
        {
            o.ShouldInclude = d => Serves(d.ActionDescriptor.EndpointMetadata, listener);
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo { Title = title, Version = name, Description = description };
                return Task.CompletedTask;
            });
            o.AddDocumentTransformer(new RequestDelegateOperations(listener));
            o.AddSchemaTransformer(AlertSchema.TransformAsync);
        });
}
