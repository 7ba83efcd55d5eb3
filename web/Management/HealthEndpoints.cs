using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TrafficActors.Web.Management;

/// <summary><c>/healthz</c> (liveness) and <c>/ready</c> (readiness), on the HTTP API and the management endpoint.</summary>
public static class HealthEndpoints
{
    public static RouteGroupBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var app = endpoints.MapGroup("").WithMetadata(ListenerMetadata.Both);
        // Liveness only says the process serves requests; restarting on a failed dependency would not fix it.
        app.MapGet("/healthz", () => Results.Json(new HealthReport(NodeReadiness.Alive, []), ManagementJson.Default.HealthReport));

        app.MapGet("/ready", async (NodeReadiness readiness, CancellationToken ct) =>
        {
            var report = await readiness.CheckAsync(ct);
            return Results.Json(
                report, ManagementJson.Default.HealthReport,
                statusCode: report.Status == NodeReadiness.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
