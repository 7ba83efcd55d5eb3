namespace TrafficActors.Web.Api;

/// <summary>Error body of every 4xx/5xx the API returns.</summary>
public sealed record ProblemResponse(string Error);
