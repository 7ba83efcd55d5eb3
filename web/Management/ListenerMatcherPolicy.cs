using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace TrafficActors.Web.Management;

/// <summary>
/// Keeps the two listeners of one host apart: a request that arrived on the management port matches only
/// management endpoints (and those on both), any other request only the public ones. Decided by the local port of
/// the connection, not the Host header, which a client chooses.
/// </summary>
public sealed class ListenerMatcherPolicy(ManagementPort management) : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    // Every endpoint takes part: public endpoints must be hidden on the management port as well.
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => true;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var onManagement = IsManagement(httpContext, management);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i)) continue;
            var listener = candidates[i].Endpoint.Metadata.GetMetadata<ListenerMetadata>()?.Listener ?? Listener.Public;
            if (listener != Listener.Both && listener == Listener.Management != onManagement)
                candidates.SetValidity(i, false);
        }

        return Task.CompletedTask;
    }

    public static bool IsManagement(HttpContext http, ManagementPort management) => http.Connection.LocalPort == management.Value;
}
