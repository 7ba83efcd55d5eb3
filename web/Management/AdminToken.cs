using System.Security.Cryptography;
using System.Text;

namespace TrafficActors.Web.Management;

/// <summary>
/// The bearer token that guards cluster-changing routes (from TRAFFIC_ADMIN_TOKEN, never from HOCON, never logged).
/// </summary>
public sealed class AdminToken(string? token)
{
    public const string EnvironmentVariable = "TRAFFIC_ADMIN_TOKEN";

    private const string BearerPrefix = "Bearer ";

    // Hashing first gives both sides the same length, so the comparison time reveals neither content nor length.
    private readonly byte[]? _expectedHash = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public bool IsConfigured => _expectedHash is not null;

    public static AdminToken FromEnvironment() => new(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Checks an <c>Authorization</c> header value (<c>Bearer &lt;token&gt;</c>).</summary>
    public AdminAccess Check(string? authorizationHeader)
    {
        if (_expectedHash is null) return AdminAccess.NotConfigured;
        if (authorizationHeader is null || !authorizationHeader.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            return AdminAccess.Denied;
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorizationHeader[BearerPrefix.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expectedHash) ? AdminAccess.Granted : AdminAccess.Denied;
    }

    public override string ToString() => IsConfigured ? "AdminToken(configured)" : "AdminToken(none)";
}
