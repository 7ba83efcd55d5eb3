using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrafficActors.Web.Management;
using Report = Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport;

namespace TrafficActors.Web.Health;

/// <summary>
/// <c>/healthz</c> (liveness, checks tagged <see cref="HealthTags.Live"/>) and <c>/ready</c> (readiness, tagged
/// <see cref="HealthTags.Ready"/>) on the HTTP API and the management endpoint: 200 when every check passes, 503
/// naming the failed ones, in the <see cref="HealthReport"/> shape the <c>traffic health</c> verb reads.
/// </summary>
public static class HealthEndpoints
{
    public const string Alive = "alive";
    public const string NotAlive = "not_alive";
    public const string Ready = "ready";
    public const string NotReady = "not_ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Liveness holds only what a restart mends; restarting on a failed dependency would not fix it.
        Map(endpoints, "/healthz", HealthTags.Live, Alive, NotAlive,
            "Liveness: the process serves requests and its actor system runs");
        Map(endpoints, "/ready", HealthTags.Ready, Ready, NotReady,
            "Readiness: the member is Up, reference data is loaded and the node's dependencies answer");
        return endpoints;
    }

    private static void Map(IEndpointRouteBuilder endpoints, string path, string tag, string passed, string failed, string summary) =>
        endpoints.MapHealthChecks(path, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(tag),
            ResponseWriter = (http, report) => WriteAsync(http, report, passed, failed),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).WithMetadata(
            ListenerMetadata.Both,
            new HttpMethodMetadata([HttpMethods.Get]),
            // Not a route handler, so the OpenAPI document describes it from these (see RequestDelegateOperations).
            new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(HealthReport), ["application/json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(HealthReport), ["application/json"]))
        .WithSummary(summary)
        .WithTags("health");

    /// <summary>Every check that ran, in registration order; a failed one with its description, or its error's message.</summary>
    public static HealthReport ToBody(Report report, string passed, string failed) => new(
        report.Status == HealthStatus.Unhealthy ? failed : passed,
        report.Entries.Select(e => new HealthCheck(
            e.Key, e.Value.Status != HealthStatus.Unhealthy,
            e.Value.Description ?? e.Value.Exception?.Message ?? e.Value.Status.ToString())).ToArray());

    private static Task WriteAsync(HttpContext http, Report report, string passed, string failed)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(http.Response.Body, ToBody(report, passed, failed), ManagementJson.Default.HealthReport, http.RequestAborted);
    }
}
