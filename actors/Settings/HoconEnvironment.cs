using System.Text;
using System.Text.RegularExpressions;

namespace TrafficActors.Settings;

/// <summary>
/// Applies <c>${?ENV_VAR}</c> overrides to HOCON text before Akka parses it. Akka.Configuration 1.5's parser does
/// not understand optional substitutions: it reads <c>${?X}</c> as a substitution of the root object followed by
/// stray text, which loses the earlier value and can swallow the keys that follow. Resolving them up front keeps the
/// standard HOCON meaning: a set variable replaces the value, an unset one leaves the earlier value alone.
/// </summary>
public static partial class HoconEnvironment
{
    /// <summary>
    /// Returns <paramref name="hocon"/> with every <c>${?NAME}</c> resolved through <paramref name="lookup"/>
    /// (the process environment by default). A line whose whole value is an unset substitution is dropped.
    /// </summary>
    public static string Resolve(string hocon, Func<string, string?>? lookup = null)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        lookup ??= Environment.GetEnvironmentVariable;
        var lines = hocon.Split('\n');
        var output = new StringBuilder(hocon.Length);
        foreach (var line in lines)
        {
            var whole = WholeValue().Match(line);
            if (whole.Success)
            {
                var value = lookup(whole.Groups["name"].Value);
                if (value is not null)
                    output.Append(whole.Groups["head"].Value).Append(Quote(value)).Append(whole.Groups["tail"].Value);
                // Unset: dropping the assignment keeps whatever an earlier line set, as HOCON specifies.
                output.Append('\n');
                continue;
            }

            // Inside a concatenation an unset optional substitution contributes nothing.
            output.Append(Inline().Replace(line, m => lookup(m.Groups["name"].Value) is { } v ? Quote(v) : "")).Append('\n');
        }

        // Split/append added one newline too many when the text did not end with one.
        if (!hocon.EndsWith('\n'))
            output.Length--;
        return output.ToString();
    }

    // JSON string syntax is valid HOCON, and quoting keeps values like "30s" or "a:b" from being re-tokenised.
    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    [GeneratedRegex(@"^(?<head>\s*[A-Za-z0-9_.""-]+\s*[=:]\s*)\$\{\?(?<name>[A-Za-z_][A-Za-z0-9_.]*)\}(?<tail>\s*(?:(?:#|//).*)?\r?)$")]
    private static partial Regex WholeValue();

    [GeneratedRegex(@"\$\{\?(?<name>[A-Za-z_][A-Za-z0-9_.]*)\}")]
    private static partial Regex Inline();
}
