namespace TrafficActors.DeadLetters;

/// <summary>What <see cref="PayloadText.Decode"/> made of some bytes.</summary>
/// <param name="Text">The printable text.</param>
/// <param name="BytesUsed">How many of the bytes it shows; fewer than given when cut.</param>
/// <param name="Cut">Whether bytes were left out to stay within the limit.</param>
/// <param name="Invalid">Whether the shown bytes held invalid UTF-8 (written as <c>\xNN</c>).</param>
public readonly record struct DecodedText(string Text, int BytesUsed, bool Cut, bool Invalid);
