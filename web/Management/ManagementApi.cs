using System.ComponentModel;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using TrafficActors.Cars;
using TrafficActors.Views;
using TrafficActors.Web.Api;

namespace TrafficActors.Web.Management;

/// <summary>
/// JSON routes of the management endpoint read by the <c>traffic</c> inspection verbs. Reads are open; routes that
/// change membership need the admin bearer token.
/// </summary>
public static class ManagementApi
{
    private const int MaxWindowsDefault = 10;

    // A file name as an operator gives it, only used to name the document in errors.
    private const int MaxDocumentName = 255;
    private const string Json = "application/json";
    private const string AddressHelp = "Akka address of the member, e.g. akka.tcp://traffic@127.0.0.1:4053";

    /// <summary>
    /// Maps the routes on the management listener only. An answer that did not come in time is a 504 and a Kafka
    /// failure a 502, each with the problem shape, rather than a bare 500.
    /// </summary>
    public static RouteGroupBuilder MapManagementApi(this IEndpointRouteBuilder endpoints)
    {
        var app = endpoints.MapGroup("").WithMetadata(
            ListenerMetadata.Management,
            new ProducesResponseTypeMetadata(StatusCodes.Status502BadGateway, typeof(ProblemResponse), [Json]),
            new ProducesResponseTypeMetadata(StatusCodes.Status504GatewayTimeout, typeof(ProblemResponse), [Json]))
            .WithTags("management");
        app.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            try
            {
                return await next(invocation);
            }
            catch (Exception ex) when (ex is AskTimeoutException or TimeoutException or TaskCanceledException && !http.RequestAborted.IsCancellationRequested)
            {
                return Problem(StatusCodes.Status504GatewayTimeout, $"the node did not get an answer in time ({ex.GetType().Name})");
            }
            catch (Confluent.Kafka.KafkaException ex)
            {
                return Problem(StatusCodes.Status502BadGateway, $"Kafka: {ex.Error.Reason}");
            }
        });

        app.MapGet("/cluster", (ManagementContext ctx) => Results.Json(Cluster(ctx.System), ManagementJson.Default.ClusterView))
            .WithSummary("Members of the cluster as this node sees them: status, roles, reachability, leader")
            .Produces<ClusterView>();

        Member(app.MapPost("/cluster/leave", ([Description(AddressHelp)] string? address, HttpRequest request, ManagementContext ctx) =>
            Guarded(ctx, request, () => OnMember(ctx, address, "leave", (c, a) => c.Leave(a)))),
            "Asks a member to leave the cluster gracefully (admin token)");

        Member(app.MapPost("/cluster/down", ([Description(AddressHelp)] string? address, HttpRequest request, ManagementContext ctx) =>
            Guarded(ctx, request, () => OnMember(ctx, address, "down", (c, a) => c.Down(a)))),
            "Marks a member down, for one that is gone and will not leave by itself (admin token)");

        app.MapPost("/cluster/down-unreachable", (HttpRequest request, ManagementContext ctx) => Guarded(ctx, request, () =>
        {
            var cluster = Akka.Cluster.Cluster.Get(ctx.System);
            var targets = cluster.State.Unreachable.Select(m => m.Address).ToArray();
            foreach (var a in targets)
            {
                ctx.Log.LogWarning("Management: downing unreachable member {Address}", a);
                cluster.Down(a);
            }

            return Results.Json(new ClusterActionResponse("down-unreachable", targets.Select(a => a.ToString()).ToArray()), ManagementJson.Default.ClusterActionResponse);
        }))
            .WithSummary("Marks every unreachable member down (admin token)")
            .Produces<ClusterActionResponse>()
            .Produces<ProblemResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ProblemResponse>(StatusCodes.Status403Forbidden);

        app.MapGet("/actors", ([Description("Levels below /user and /system to walk (default and bounds from traffic.management)")] int? depth, ManagementContext ctx) =>
        {
            var d = depth ?? ctx.Settings.DefaultDepth;
            if (d < 0 || d > ctx.Settings.MaxDepth) return Problem(StatusCodes.Status400BadRequest, $"depth must be 0..{ctx.Settings.MaxDepth}");
            return Results.Json(ActorHierarchy.Walk(ctx.System, d, ctx.Settings.MaxChildren), ManagementJson.Default.HierarchyView);
        })
            .WithSummary("This node's actor tree, children beyond traffic.management.max-children summarised")
            .Produces<HierarchyView>()
            .Produces<ProblemResponse>(StatusCodes.Status400BadRequest);

        app.MapGet("/sharding/regions", async (ManagementContext ctx, CancellationToken ct) =>
        {
            var summaries = new List<RegionSummary>();
            foreach (var (type, region) in ctx.Regions.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                var stats = await ShardStatsAsync(ctx, region, ct);
                var nodes = stats.Shards.GroupBy(s => s.Node)
                    .Select(g => new RegionNodeStats(g.Key, g.Count(), g.Sum(s => s.Entities)))
                    .OrderBy(n => n.Node, StringComparer.Ordinal).ToArray();
                summaries.Add(new RegionSummary(type, ctx.HostedRegions.Contains(type), nodes, stats.Unanswered));
            }

            return Results.Json(new RegionsView(summaries), ManagementJson.Default.RegionsView);
        })
            .WithSummary("Every shard region type: shards and entities per node")
            .Produces<RegionsView>();

        app.MapGet("/sharding/regions/{type}", async ([Description("Shard region type: car or window")] string type, ManagementContext ctx, CancellationToken ct) =>
        {
            if (!ctx.Regions.TryGetValue(type, out var region))
                return Problem(StatusCodes.Status404NotFound, $"no shard region type '{type}'; known: {string.Join(", ", ctx.Regions.Keys.Order(StringComparer.Ordinal))}");
            var stats = await ShardStatsAsync(ctx, region, ct);
            return Results.Json(new RegionStatsView(type, stats.Shards, stats.Unanswered), ManagementJson.Default.RegionStatsView);
        })
            .WithSummary("Entities per shard and node of one shard region type")
            .Produces<RegionStatsView>()
            .Produces<ProblemResponse>(StatusCodes.Status404NotFound);

        app.MapGet("/cars/{id}", async ([Description("Car id, a non-negative integer")] string id, ManagementContext ctx, CancellationToken ct) =>
        {
            if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var carId))
                return Problem(StatusCodes.Status400BadRequest, $"car id must be a non-negative integer, got '{id}'");
            // Asking creates the entity when the car has no actor yet; it then answers with zero samples.
            var msg = new GetCarStatus(carId);
            var status = await ctx.Regions[ctx.CarRegionType].Ask<CarStatus>(msg, ctx.Settings.AskTimeout, ct);
            return Results.Json(
                new CarView(
                    status.CarId, status.Samples > 0, status.ActorPath, ctx.CarExtractor.ShardId(msg.CarId.ToString(System.Globalization.CultureInfo.InvariantCulture), msg),
                    status.Samples, status.Alerts, status.AlertsByRule, status.LastSample, status.ReferenceVersion),
                ManagementJson.Default.CarView);
        })
            .WithSummary("One car's actor: where it lives, its samples, alerts and last sample")
            .Produces<CarView>()
            .Produces<ProblemResponse>(StatusCodes.Status400BadRequest);

        app.MapGet("/rules", (ManagementContext ctx) =>
        {
            var status = ctx.Rules.Status;
            using var doc = System.Text.Json.JsonDocument.Parse(TrafficActors.Rules.RuleDocument.ToJson(ctx.Rules.Current));
            return Results.Json(new RulesView(status.Version, status.Source, status.Since, status.Error, doc.RootElement.Clone()), ManagementJson.Default.RulesView);
        })
            .WithSummary("The rules in force on this node: version, source, a rejected newer document, every threshold")
            .Produces<RulesView>();

        app.MapPut("/rules", async (
            [Description("The document's file name, e.g. rules.json: its extension (.json, or .conf for HOCON) says the form, and errors name it (default rules.json)")] string? name,
            HttpRequest request, ManagementContext ctx, CancellationToken ct) =>
        {
            if (Access(ctx, request) is var access && access != AdminAccess.Granted) return Refused(access);
            name ??= TrafficActors.Rules.RuleDocument.JsonName;
            if (name.Length > MaxDocumentName || Path.GetFileName(name) != name
                || !(TrafficActors.Rules.RuleDocument.IsJson(name) || TrafficActors.Rules.RuleDocument.IsHocon(name)))
                return Problem(StatusCodes.Status400BadRequest, $"name must be a file name ending in .json or .conf (at most {MaxDocumentName} characters)");
            var text = await ReadBodyAsync(request, ctx.RulesMaxBytes, ct);
            if (text is null) return Problem(StatusCodes.Status413PayloadTooLarge, $"the document is above traffic.live-rules.max-bytes ({ctx.RulesMaxBytes} bytes)");
            try
            {
                var written = await ctx.RulesWriter.WriteAsync(name, text, ctx.RulesActor, ct);
                ctx.Log.LogWarning("Management: rules version {Version} stored in {Target}", written.Version, written.Target);
                return Results.Json(new RulesSetView(written.Version, written.Target, written.Changed), ManagementJson.Default.RulesSetView);
            }
            catch (TrafficActors.Rules.RuleDocumentException ex)
            {
                return Problem(StatusCodes.Status400BadRequest, ex.Message);
            }
            catch (TrafficActors.Rules.RulesConflictException ex)
            {
                return Problem(StatusCodes.Status409Conflict, ex.Message);
            }
            catch (Exception ex) when (ex is Minio.Exceptions.MinioException or HttpRequestException or IOException or UnauthorizedAccessException)
            {
                return Problem(StatusCodes.Status502BadGateway, $"could not store the rules document: {ex.Message}");
            }
        })
            .WithSummary("Validate a new rules document and store it where every node watches (needs the admin token); nothing changes if it is invalid")
            .Accepts<string>("text/plain", "application/json")
            .Produces<RulesSetView>()
            .Produces<ProblemResponse>(StatusCodes.Status400BadRequest)
            .Produces<ProblemResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ProblemResponse>(StatusCodes.Status403Forbidden)
            .Produces<ProblemResponse>(StatusCodes.Status409Conflict)
            .Produces<ProblemResponse>(StatusCodes.Status413PayloadTooLarge);

        app.MapGet("/windows", async ([Description("How many windows, newest first: 1..1440 (default 10)")] int? last, ManagementContext ctx, CancellationToken ct) =>
        {
            var n = last ?? MaxWindowsDefault;
            if (n is < 1 or > TrafficApi.MaxWindows) return Problem(StatusCodes.Status400BadRequest, $"last must be 1..{TrafficApi.MaxWindows}");
            var view = await ctx.DashboardView.Ask<WindowsView>(new GetWindows(n), ctx.Settings.AskTimeout, ct);
            var body = view.Windows
                .Select(WindowResponse.From)
                .ToArray();
            return Results.Json(body, ManagementJson.Default.WindowResponseArray);
        })
            .WithSummary("The latest alert windows merged across the cluster")
            .Produces<WindowResponse[]>()
            .Produces<ProblemResponse>(StatusCodes.Status400BadRequest);

        app.MapGet("/kafka/lag", async (ManagementContext ctx, CancellationToken ct) =>
        {
            var lag = await ctx.LagReader.ReadAsync(ctx.RawTopic, ctx.Settings.AskTimeout, ct);
            return Results.Json(new KafkaLagView(ctx.LagReader.GroupId, ctx.RawTopic, lag.Sum(p => p.Lag), lag,
                IngestView.From(ctx.Metrics)), ManagementJson.Default.KafkaLagView);
        })
            .WithSummary("Consumer group lag per raw-data partition, and this node's ingest consumer")
            .Produces<KafkaLagView>();

        return app;
    }

    private static void Member(RouteHandlerBuilder route, string summary) =>
        route.WithSummary(summary)
            .Produces<ClusterActionResponse>()
            .Produces<ProblemResponse>(StatusCodes.Status400BadRequest)
            .Produces<ProblemResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ProblemResponse>(StatusCodes.Status403Forbidden)
            .Produces<ProblemResponse>(StatusCodes.Status404NotFound);

    /// <summary>Entities per shard per node, from the coordinator's view of every region.</summary>
    public static async Task<RegionStatsView> ShardStatsAsync(ManagementContext ctx, IActorRef region, CancellationToken ct)
    {
        var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(ctx.Settings.AskTimeout), ctx.Settings.AskTimeout * 2, ct);
        var shards = stats.Regions
            .SelectMany(r => r.Value.Stats.Select(s => new ShardStats(r.Key.ToString(), s.Key, s.Value)))
            .OrderBy(s => s.Node, StringComparer.Ordinal).ThenBy(s => s.ShardId, StringComparer.Ordinal)
            .ToArray();
        var unanswered = stats.Regions.Where(r => r.Value.Failed.Count > 0).Select(r => r.Key.ToString()).ToArray();
        return new RegionStatsView(string.Empty, shards, unanswered);
    }

    private static ClusterView Cluster(ActorSystem system)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var members = state.Members
            .Select(m => new MemberView(
                m.Address.ToString(), m.Status.ToString(), m.Roles.Order(StringComparer.Ordinal).ToArray(),
                !unreachable.Contains(m.Address), m.Address.Equals(state.Leader), m.Address.Equals(cluster.SelfAddress)))
            .ToArray();
        return new ClusterView(cluster.SelfAddress.ToString(), state.Leader?.ToString(), members, unreachable.Select(a => a.ToString()).Order(StringComparer.Ordinal).ToArray());
    }

    private static IResult OnMember(ManagementContext ctx, string? address, string action, Action<Akka.Cluster.Cluster, Address> apply)
    {
        if (string.IsNullOrWhiteSpace(address)) return Problem(StatusCodes.Status400BadRequest, "address is required, e.g. akka.tcp://traffic@127.0.0.1:4053");
        Address target;
        try
        {
            target = Address.Parse(address.Trim());
        }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException or FormatException)
        {
            return Problem(StatusCodes.Status400BadRequest, $"not an Akka address: '{address}'");
        }

        var cluster = Akka.Cluster.Cluster.Get(ctx.System);
        if (!cluster.State.Members.Any(m => m.Address.Equals(target)))
            return Problem(StatusCodes.Status404NotFound, $"no member {target} in the cluster");
        ctx.Log.LogWarning("Management: {Action} requested for member {Address}", action, target);
        apply(cluster, target);
        return Results.Json(new ClusterActionResponse(action, [target.ToString()]), ManagementJson.Default.ClusterActionResponse);
    }

    private static IResult Guarded(ManagementContext ctx, HttpRequest request, Func<IResult> action)
    {
        var access = Access(ctx, request);
        return access == AdminAccess.Granted ? action() : Refused(access);
    }

    private static AdminAccess Access(ManagementContext ctx, HttpRequest request) =>
        ctx.AdminToken.Check(request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null);

    private static IResult Refused(AdminAccess access) => access == AdminAccess.NotConfigured
        ? Problem(StatusCodes.Status403Forbidden, $"cluster changes are disabled on this node: start it with {AdminToken.EnvironmentVariable} set")
        : Problem(StatusCodes.Status401Unauthorized, "missing or wrong admin token (Authorization: Bearer <token>)");

    /// <summary>The body as text, or null when it is longer than <paramref name="maxBytes"/> (read no further than that).</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return null;
        var buffer = new byte[maxBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        return read > maxBytes ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    internal static IResult Problem(int status, string error) =>
        Results.Json(new ProblemResponse(error), ManagementJson.Default.ProblemResponse, statusCode: status);
}
