using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using TrafficActors.Web.Api;

namespace TrafficActors.Web.Dashboard;

/// <summary>Wires the dashboard page (static files at <c>/</c>) and its SignalR hub into a web-role node.</summary>
public static class DashboardEndpoints
{
    /// <summary>Folder the build copies the page and its npm libraries to, beside the binaries.</summary>
    public const string AssetFolder = "wwwroot";

    public static IServiceCollection AddTrafficDashboard(this IServiceCollection services)
    {
        // Same snake_case shapes as the HTTP API, so the page renders its initial load and the pushes alike.
        services.AddSignalR().AddJsonProtocol(o =>
        {
            o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.PayloadSerializerOptions.DictionaryKeyPolicy = null;
            o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default);
        });
        return services;
    }

    public static WebApplication MapTrafficDashboard(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, AssetFolder);
        if (Directory.Exists(root))
        {
            var files = new PhysicalFileProvider(root);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        app.MapHub<TrafficHub>(TrafficHub.Path);
        return app;
    }
}
