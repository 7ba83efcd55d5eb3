using System.Text.RegularExpressions;

namespace TrafficActors.Host.Init;

/// <summary>S3 bucket naming rules, checked before any request so a typo gets a clear message, not a server error.</summary>
public static partial class BucketName
{
    public static bool IsValid(string name) => Pattern().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal) && !IpLike().IsMatch(name);

    // 3-63 characters, lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit.
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+\.\d+$")]
    private static partial Regex IpLike();
}
