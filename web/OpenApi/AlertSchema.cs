using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using TrafficActors.Domain;

namespace TrafficActors.Web.OpenApi;

/// <summary>
/// The schema of a list of <see cref="Alert"/>s. A custom converter writes each alert as one flat object (its
/// sample's fields, then <c>violations</c>), which the schema generator cannot derive and leaves as "anything";
/// this gives the items the sample's schema with that list added.
/// </summary>
public static class AlertSchema
{
    public static async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonTypeInfo.ElementType != typeof(Alert)) return;
        var sample = await context.GetOrCreateSchemaAsync(typeof(EnrichedSample), null, ct);
        schema.Items = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An enriched sample that broke at least one rule: the sample's fields, then the rules it broke.",
            Properties = new Dictionary<string, IOpenApiSchema>(sample.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                [WireFormat.ViolationsField] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            Required = new HashSet<string>(sample.Required ?? new HashSet<string>()) { WireFormat.ViolationsField },
        };
    }
}
