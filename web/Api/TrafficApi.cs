using System.ComponentModel;
using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TrafficActors.Domain;
using TrafficActors.Views;
using TrafficActors.Metrics;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Settings;
using TrafficActors.Web.Cars;

namespace TrafficActors.Web.Api;

/// <summary>The read-only HTTP JSON API of a web-role node.</summary>
public static class TrafficApi
{
    /// <summary>Largest page of windows: a day of one-minute windows.</summary>
    public const int MaxWindows = 1440;

    /// <summary>Largest page of recent alerts.</summary>
    public const int MaxAlerts = 500;

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Largest roll-up: one row per day.</summary>
    private static readonly TimeSpan MaxRollup = TimeSpan.FromHours(24);

    public static IEndpointRouteBuilder MapTrafficApi(this IEndpointRouteBuilder endpoints)
    {
        var app = endpoints.MapGroup("").WithTags("api");
        app.MapGet("/api/info", (NodeInfo info, PipelineMetrics metrics, RateTracker rate, ReferenceDataStore reference, RuleSetStore rules, ActorSystem system) =>
        {
            var cluster = Cluster.Get(system);
            var snapshot = reference.Current;
            return Results.Json(
                new InfoResponse(
                    info.KafkaBootstrap, info.EmbeddedKafka, info.Roles, cluster.SelfAddress.ToString(),
                    cluster.SelfMember.Status.ToString(), cluster.State.Members.Count, info.StartedAt,
                    (DateTimeOffset.UtcNow - info.StartedAt).TotalSeconds, info.Topics,
                    new ReferenceInfo(reference.IsLoaded, snapshot.Version, snapshot.CarCount, snapshot.Models.Count, snapshot.Colors.Count),
                    RulesInfo.From(rules.Status),
                    Stats(metrics, rate)),
                ApiJson.Default.InfoResponse);
        })
        .WithSummary("This node: Kafka, roles, cluster membership, reference data, rules version and pipeline counters")
        .Produces<InfoResponse>();

        app.MapGet("/api/stats", (PipelineMetrics metrics, RateTracker rate) =>
            Results.Json(Stats(metrics, rate), ApiJson.Default.StatsResponse))
        .WithSummary("This node's pipeline counters, its current events/s and its ingest consumer")
        .Produces<StatsResponse>();

        app.MapGet("/api/windows", async (
            [Description("How many windows, newest first: 1..1440 (default 30)")] int? last,
            [Description("Roll windows up into buckets of this size, a multiple of the window length up to 24h: 90s, 15m, 1h")] string? size,
            IRequiredActor<DashboardViewActor> view, TrafficSettings settings) =>
        {
            var n = last ?? 30;
            if (n is < 1 or > MaxWindows)
                return BadRequest($"last must be 1..{MaxWindows}");
            TimeSpan? rollup = null;
            if (size is not null)
            {
                if (!TryParseSize(size, out var s) || s < settings.Windows.Length || s > MaxRollup || s.Ticks % settings.Windows.Length.Ticks != 0)
                    return BadRequest($"size must be a multiple of the window length ({settings.Windows.Length.TotalMinutes:0}m) up to 24h, e.g. 15m");
                rollup = s;
            }

            var result = await view.ActorRef.Ask<WindowsView>(new GetWindows(n, rollup), QueryTimeout);
            var body = result.Windows
                .Select(WindowResponse.From)
                .ToArray();
            return Results.Json(body, ApiJson.Default.WindowResponseArray);
        })
        .WithSummary("The latest alert windows merged across the cluster, optionally rolled up")
        .Produces<WindowResponse[]>()
        .Produces<ProblemResponse>(StatusCodes.Status400BadRequest);

        app.MapGet("/api/alerts/recent", async (
            [Description("How many alerts, newest first: 1..500 (default 20)")] int? limit, IRequiredActor<DashboardViewActor> view) =>
        {
            var n = limit ?? 20;
            if (n is < 1 or > MaxAlerts)
                return BadRequest($"limit must be 1..{MaxAlerts}");
            var result = await view.ActorRef.Ask<RecentAlertsView>(new GetRecentAlerts(n), QueryTimeout);
            return Results.Json(result.Alerts.ToArray(), ApiJson.Default.AlertArray);
        })
        .WithSummary("The most recent alerts the dashboard view holds")
        .Produces<Alert[]>()
        .Produces<ProblemResponse>(StatusCodes.Status400BadRequest);

        app.MapGet("/api/cars/{id}", async ([Description("Car id: " + CarIds.Rule)] string id, CarQuery cars, CancellationToken ct) =>
        {
            if (!CarIds.TryParse(id, out var carId, out var error)) return BadRequest(error);
            // Checked before the car region is asked: asking would start an actor for any id.
            if (cars.Known(carId) is not { } car) return Problem(StatusCodes.Status404NotFound, cars.NotFound(carId));
            try
            {
                var status = await cars.AskAsync(carId, ct);
                return Results.Json(cars.Details(status, car), ApiJson.Default.CarDetails);
            }
            catch (AskTimeoutException)
            {
                return Problem(StatusCodes.Status504GatewayTimeout, $"car {id} did not answer within {cars.AskTimeout.TotalSeconds:0.#} s");
            }
        })
        .WithSummary("One car's live state from its actor: reference data, node and shard, alerts by rule, last sample and trace")
        .Produces<CarDetails>()
        .Produces<ProblemResponse>(StatusCodes.Status400BadRequest)
        .Produces<ProblemResponse>(StatusCodes.Status404NotFound)
        .Produces<ProblemResponse>(StatusCodes.Status504GatewayTimeout);

        return endpoints;
    }

    /// <summary>Accepts <c>15m</c>, <c>1h</c>, <c>90s</c> (the units operators type in the seed's dashboards).</summary>
    internal static bool TryParseSize(string text, out TimeSpan size)
    {
        size = default;
        text = text.Trim();
        if (text.Length < 2 || !long.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 100_000)
            return false;
        size = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            _ => TimeSpan.Zero,
        };
        return size > TimeSpan.Zero;
    }

    private static IResult BadRequest(string error) => Problem(StatusCodes.Status400BadRequest, error);

    private static IResult Problem(int status, string error) =>
        Results.Json(new ProblemResponse(error), ApiJson.Default.ProblemResponse, statusCode: status);

    private static StatsResponse Stats(PipelineMetrics m, RateTracker rate) => new(
        m.Consumed, m.Processed, m.Alerts, m.DeadLettered, m.UnknownCars, m.EnrichedProduced, m.AlertsProduced,
        m.WindowDuplicates, m.LateAlerts, m.CarSamples, m.CarSamplesRemote, Math.Round(rate.EventsPerSecond(), 1),
        IngestView.From(m));
}
