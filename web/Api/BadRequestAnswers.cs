using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace TrafficActors.Web.Api;

/// <summary>
/// Gives a request the framework cannot bind (<c>?last=abc</c>, a malformed body) the same <see cref="ProblemResponse"/>
/// as the routes' own validation. Left to itself, ASP.NET Core answers such a request with an empty 400, which tells a
/// client nothing about what it got wrong.
/// </summary>
public static class BadRequestAnswers
{
    /// <summary>Makes route handlers throw on a binding failure, so <see cref="UseTrafficBadRequests"/> can answer it.</summary>
    public static IServiceCollection AddTrafficBadRequests(this IServiceCollection services) =>
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

    /// <summary>Answers a binding failure with its status (400, or 413 for a body too large) and the framework's message.</summary>
    public static IApplicationBuilder UseTrafficBadRequests(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException ex) when (!http.Response.HasStarted)
            {
                http.Response.Clear();
                await Results.Json(new ProblemResponse(ex.Message), ApiJson.Default.ProblemResponse, statusCode: ex.StatusCode).ExecuteAsync(http);
            }
        });
}
