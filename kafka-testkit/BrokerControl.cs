using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TrafficActors.Kafka.Testkit;

/// <summary>
/// Fault injection for the standalone embedded broker (<c>traffic kafka --control-port</c>): take one broker or all of
/// them down and up again over HTTP on loopback, so soak runs and demos can rehearse broker outages. Brokers keep their
/// data while down; clients see refused connections, as with a crashed broker.
/// </summary>
public static class BrokerControl
{
    public static async Task<WebApplication> StartAsync(EmbeddedKafkaCluster cluster, int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var ids = Enumerable.Range(1, cluster.BrokerCount).ToArray();
        var down = new HashSet<int>();

        IResult Set(IEnumerable<int> brokers, bool up)
        {
            lock (down)
            {
                foreach (var id in brokers)
                {
                    if (up) cluster.SetBrokerUp(id);
                    else cluster.SetBrokerDown(id);
                    if (up) down.Remove(id);
                    else down.Add(id);
                }

                Console.WriteLine($"Kafka brokers down: [{string.Join(",", down.Order())}]");
                return Results.Text($"down: [{string.Join(",", down.Order())}]\n");
            }
        }

        IResult One(int id, bool up) => ids.Contains(id)
            ? Set([id], up)
            : Results.Text($"no broker {id}; brokers are {ids[0]}..{ids[^1]}\n", statusCode: StatusCodes.Status404NotFound);

        app.MapPost("/brokers/{id:int}/down", (int id) => One(id, up: false));
        app.MapPost("/brokers/{id:int}/up", (int id) => One(id, up: true));
        app.MapPost("/brokers/down", () => Set(ids, up: false));
        app.MapPost("/brokers/up", () => Set(ids, up: true));
        app.MapGet("/brokers", () =>
        {
            lock (down) return Results.Text($"brokers: {ids.Length}, down: [{string.Join(",", down.Order())}]\n");
        });
        await app.StartAsync(ct);
        return app;
    }
}
