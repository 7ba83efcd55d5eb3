using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace TrafficActors.Domain;

/// <summary>What a car id may be: the same rule for telemetry and for ids typed into a URL.</summary>
public static class CarIds
{
    /// <summary>Largest id accepted: ten digits, beyond the seed's 7-digit fleet ids but far below 2^53.</summary>
    public const long Max = 9_999_999_999;

    /// <summary>The rule in words, for errors and API descriptions.</summary>
    public const string Rule = "a positive integer up to 9999999999";

    /// <summary>Whether <paramref name="value"/> (a JSON number) is a positive integer id no larger than <see cref="Max"/>.</summary>
    public static bool IsValid(double value) => value > 0 && value == Math.Floor(value) && value <= Max;

    /// <summary>Reads an id given as text (digits only, no sign, no spaces) or says why it is not one.</summary>
    public static bool TryParse(string? text, out long carId, [NotNullWhen(false)] out string? error)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out carId) && carId is > 0 and <= Max)
        {
            error = null;
            return true;
        }

        carId = 0;
        error = $"car id must be {Rule}, got '{Shorten(text)}'";
        return false;
    }

    // An id echoed back in an error stays readable whatever a client sent.
    private static string Shorten(string? text)
    {
        const int Longest = 32;
        if (text is null) return "";
        return text.Length <= Longest ? text : text[..Longest] + "...";
    }
}
