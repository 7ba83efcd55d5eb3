using System.Text;

namespace TrafficActors.Tests.Deployment;

/// <summary>
/// Variable interpolation as Docker Compose applies it to values: <c>$$</c>, <c>$NAME</c>, <c>${NAME}</c>,
/// <c>${NAME:-default}</c>, <c>${NAME-default}</c>, <c>${NAME:?error}</c>, <c>${NAME?error}</c>,
/// <c>${NAME:+alt}</c>, <c>${NAME+alt}</c>. Written here because no served .NET library implements Compose's rules;
/// nesting inside defaults is not supported, and the compose file does not use it.
/// </summary>
internal static class ComposeInterpolation
{
    /// <summary>Interpolates <paramref name="text"/>; every variable that is required or unset without a default is reported.</summary>
    public static string Apply(string text, IReadOnlyDictionary<string, string> variables, ICollection<string> problems, string where)
    {
        var output = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                output.Append(c);
                continue;
            }

            var next = text[i + 1];
            if (next == '$')
            {
                output.Append('$');
                i++;
                continue;
            }

            if (next == '{')
            {
                var close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    problems.Add($"{where}: unterminated variable in '{text}'");
                    return text;
                }

                output.Append(Expand(text[(i + 2)..close], variables, problems, where));
                i = close;
                continue;
            }

            if (char.IsAsciiLetter(next) || next == '_')
            {
                var end = i + 1;
                while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')) end++;
                output.Append(Expand(text[(i + 1)..end], variables, problems, where));
                i = end - 1;
                continue;
            }

            output.Append(c);
        }

        return output.ToString();
    }

    private static string Expand(string expression, IReadOnlyDictionary<string, string> variables, ICollection<string> problems, string where)
    {
        var nameEnd = 0;
        while (nameEnd < expression.Length && (char.IsAsciiLetterOrDigit(expression[nameEnd]) || expression[nameEnd] == '_')) nameEnd++;
        var name = expression[..nameEnd];
        var rest = expression[nameEnd..];
        var isSet = variables.TryGetValue(name, out var value);
        var nonEmpty = isSet && !string.IsNullOrEmpty(value);
        if (rest.Length == 0)
        {
            if (!isSet) problems.Add($"{where}: variable {name} is not set and has no default");
            return value ?? "";
        }

        var colon = rest.StartsWith(':');
        var op = colon ? rest[1..2] : rest[..1];
        var arg = rest[(colon ? 2 : 1)..];
        var present = colon ? nonEmpty : isSet;
        switch (op)
        {
            case "-":
                return present ? value! : arg;
            case "?":
                if (!present) problems.Add($"{where}: required variable {name} is not set ({arg})");
                return value ?? "";
            case "+":
                return present ? arg : "";
            default:
                problems.Add($"{where}: cannot read variable expression '${{{expression}}}'");
                return "";
        }
    }
}
