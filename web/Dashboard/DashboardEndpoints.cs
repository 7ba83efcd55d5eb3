using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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

    /// <summary>Address of the page opened at one car's panel; the page reads the id from it.</summary>
    public const string CarLinkPrefix = "/cars/";

    private const string Page = "/index.html";

    public static WebApplication MapTrafficDashboard(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, AssetFolder);
        if (Directory.Exists(root))
        {
            // A car's deep link is the page itself. Only where no route matched, which on the management port never
            // gets here (unmatched requests end there as 404, and its own /cars/{id} is a route).
            app.Use((http, next) =>
            {
                if (http.GetEndpoint() is null && IsCarLink(http.Request)) http.Request.Path = Page;
                return next(http);
            });
            var files = new PhysicalFileProvider(root);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        app.MapHub<TrafficHub>(TrafficHub.Path);
        return app;
    }

    /// <summary>A GET of <c>/cars/{id}</c>: one segment after the prefix, whatever it holds (the page explains a bad id).</summary>
    private static bool IsCarLink(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Path.Value is { } path && path.StartsWith(CarLinkPrefix, StringComparison.Ordinal)
        && path.Length > CarLinkPrefix.Length && path.IndexOf('/', CarLinkPrefix.Length) is var slash && (slash < 0 || slash == path.Length - 1);
}
