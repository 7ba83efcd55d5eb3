using Akka.Actor;
using Akka.Cluster.Sharding;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;
using TrafficActors.Metrics;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Management;

/// <summary>
/// The operations listener of a node, separate from the HTTP API so it can bind elsewhere (and stay up on nodes
/// without the web role): health, readiness, Prometheus metrics and the JSON the inspection verbs read.
/// </summary>
public sealed class ManagementServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ManagementContext _ctx;
    private readonly IDisposable _meterAdapter;
    private readonly NodeGauges _gauges;
    private readonly bool _reportLag;
    private readonly bool _reportCars;
    private readonly CancellationTokenSource _stop = new();
    private Task _refresher = Task.CompletedTask;

    private ManagementServer(WebApplication app, ManagementContext ctx, IDisposable meterAdapter, NodeGauges gauges, bool reportLag, bool reportCars)
    {
        _app = app;
        _ctx = ctx;
        _meterAdapter = meterAdapter;
        _gauges = gauges;
        _reportLag = reportLag;
        _reportCars = reportCars;
    }

    /// <summary>Base URL with the real port (when 0 was configured).</summary>
    public string Url => _app.Urls.First().TrimEnd('/');

    /// <param name="ctx">Routes' context.</param>
    /// <param name="readiness">Readiness checks shared with the HTTP API.</param>
    /// <param name="pipeline">This node's counters and their meter.</param>
    /// <param name="reportLag">Export the consumer-group lag gauge (ingest nodes, so the series exists once per consumer).</param>
    /// <param name="reportCars">Export the car-entities gauge (nodes hosting car shards).</param>
    public static async Task<ManagementServer> StartAsync(
        ManagementContext ctx, NodeReadiness readiness, PipelineMetrics pipeline, bool reportLag, bool reportCars, CancellationToken ct)
    {
        var gauges = new NodeGauges(pipeline.Meter);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        // Creates the persistence meter now, so its histogram is exported (at zero) before the first write.
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(PersistenceMetrics).TypeHandle);
        // Only this node's meter and the process-wide persistence meter: other nodes in the process have their own.
        var adapter = new MeterBridge(
            registry, i => ReferenceEquals(i.Meter, pipeline.Meter) || i.Meter.Name == PersistenceMetrics.MeterName,
            ctx.Settings.LatencyBuckets);

        try
        {
            WebApplication app;
            try
            {
                app = await StartAppAsync(ctx, ctx.Settings.ListenUrl, readiness, registry, ct);
            }
            catch (IOException ex) when (ctx.Settings.FallbackToFreePort && ctx.Settings.Port != 0)
            {
                ctx.Log.LogWarning("Management port {Port} unavailable ({Error}); binding a free port instead", ctx.Settings.Port, ex.GetBaseException().Message);
                app = await StartAppAsync(ctx, (ctx.Settings with { Port = 0 }).ListenUrl, readiness, registry, ct);
            }

            var server = new ManagementServer(app, ctx, adapter, gauges, reportLag, reportCars);
            server._refresher = server.RefreshLoopAsync();
            return server;
        }
        catch
        {
            adapter.Dispose();
            throw;
        }
    }

    private static async Task<WebApplication> StartAppAsync(
        ManagementContext ctx, string url, NodeReadiness readiness, CollectorRegistry registry, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(readiness);
        var app = builder.Build();
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (Exception ex) when (ex is AskTimeoutException or TimeoutException or TaskCanceledException && !http.RequestAborted.IsCancellationRequested)
            {
                await WriteProblem(http, StatusCodes.Status504GatewayTimeout, $"the node did not get an answer in time ({ex.GetType().Name})");
            }
            catch (KafkaException ex)
            {
                await WriteProblem(http, StatusCodes.Status502BadGateway, $"Kafka: {ex.Error.Reason}");
            }
        });
        app.MapHealthEndpoints();
        app.MapManagementApi(ctx);
        app.MapMetrics("/metrics", registry);
        try
        {
            await app.StartAsync(ct);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static Task WriteProblem(HttpContext http, int status, string error)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new Web.Api.ProblemResponse(error), ManagementJson.Default.ProblemResponse);
    }

    // Gauges that cost a round trip are refreshed here, not at scrape time, so a slow Kafka never stalls a scrape.
    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(_ctx.Settings.RefreshInterval);
        do
        {
            await RefreshAsync();
        }
        while (await WaitAsync(timer));
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            if (_reportLag)
                _gauges.ReportLag(await _ctx.LagReader.ReadAsync(_ctx.RawTopic, _ctx.Settings.AskTimeout, _stop.Token));
            if (_reportCars)
            {
                var state = await _ctx.Regions[_ctx.CarRegionType].Ask<CurrentShardRegionState>(GetShardRegionState.Instance, _ctx.Settings.AskTimeout, _stop.Token);
                _gauges.ReportCarEntities(state.Shards.Sum(s => s.EntityIds.Count));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            _ctx.Log.LogDebug("Management: gauge refresh failed: {Error}", ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _refresher;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _meterAdapter.Dispose();
        _ctx.LagReader.Dispose();
        _stop.Dispose();
    }
}
