namespace TrafficActors.Windows;

/// <summary>A message routed to one window-bucket entity.</summary>
public interface IWindowMessage
{
    string WindowId { get; }
}
