namespace TrafficActors.Host.Node;

/// <summary>Command-line choices that override the HOCON profile for one node.</summary>
public sealed record NodeOptions
{
    /// <summary>HOCON profile under hocon/ (without .conf), e.g. "embedded".</summary>
    public string? Profile { get; init; } = "embedded";

    public string? DataDir { get; init; }

    public string? KafkaBootstrap { get; init; }

    public string? Urls { get; init; }

    public bool? Generator { get; init; }

    public IReadOnlyList<string>? Roles { get; init; }

    public int? AkkaPort { get; init; }

    public string? AkkaHost { get; init; }

    public IReadOnlyList<string>? SeedNodes { get; init; }

    /// <summary>Admin token of the management endpoint; null = TRAFFIC_ADMIN_TOKEN. Never part of the HOCON.</summary>
    public Web.Management.AdminToken? AdminToken { get; init; }

    /// <summary>What time it is for the window buckets (closing, retention); null = the system clock. Never part of the HOCON.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Extra HOCON applied on top of everything (tests use it to shorten timings).</summary>
    public string? ExtraHocon { get; init; }

    /// <summary>Renders the overrides as HOCON so they flow through the same settings code as the files.</summary>
    public string ToHocon()
    {
        var lines = new List<string>();
        if (DataDir is not null) lines.Add($"traffic.data-dir = {Quote(DataDir)}");
        if (KafkaBootstrap is not null) lines.Add($"traffic.kafka.bootstrap-servers = {Quote(KafkaBootstrap)}");
        if (Urls is not null) lines.Add($"traffic.web.urls = {Quote(Urls)}");
        if (Generator is { } g) lines.Add($"traffic.generator.enabled = {(g ? "on" : "off")}");
        if (Roles is not null) lines.Add($"traffic.node.roles = [{string.Join(", ", Roles.Select(Quote))}]");
        if (AkkaPort is { } p) lines.Add($"traffic.node.port = {p}");
        if (AkkaHost is not null) lines.Add($"traffic.node.hostname = {Quote(AkkaHost)}");
        if (SeedNodes is not null) lines.Add($"traffic.node.seed-nodes = [{string.Join(", ", SeedNodes.Select(Quote))}]");
        var hocon = string.Join('\n', lines);
        return ExtraHocon is null ? hocon : ExtraHocon + "\n" + hocon;
    }

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s, NodeJson.Default.String);
}
