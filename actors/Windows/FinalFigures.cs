namespace TrafficActors.Windows;

/// <summary>Reply to <see cref="GetFinalFigures"/>: the closed bucket's figures, null when it never counted an alert.</summary>
public sealed record FinalFigures(string WindowId, WindowStats? Stats);
