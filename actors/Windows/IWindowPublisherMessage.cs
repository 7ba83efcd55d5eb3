namespace TrafficActors.Windows;

/// <summary>A message routed to one window's publisher (entity id = window start).</summary>
public interface IWindowPublisherMessage
{
    string WindowId { get; }
}
