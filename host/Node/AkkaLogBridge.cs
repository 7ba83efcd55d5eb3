using Akka.Actor;
using Akka.DependencyInjection;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TrafficActors.Host.Node;

/// <summary>
/// Routes Akka's log events into Microsoft.Extensions.Logging with the source's type as the category and just the
/// message as text, so Akka lines read like the rest of the node's log and can be filtered by namespace (the
/// stock bridge repeats Akka's own level/timestamp/thread header inside every line).
/// </summary>
public sealed class AkkaLogBridge : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public AkkaLogBridge()
    {
        var factory = DependencyResolver.For(Context.System).Resolver.GetService<ILoggerFactory>();
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            var category = e.LogClass?.FullName ?? "Akka";
            var logger = factory.CreateLogger(category);
            var level = e.LogLevel() switch
            {
                Akka.Event.LogLevel.DebugLevel => Microsoft.Extensions.Logging.LogLevel.Debug,
                Akka.Event.LogLevel.InfoLevel => Microsoft.Extensions.Logging.LogLevel.Information,
                Akka.Event.LogLevel.WarningLevel => Microsoft.Extensions.Logging.LogLevel.Warning,
                _ => Microsoft.Extensions.Logging.LogLevel.Error,
            };
            if (!logger.IsEnabled(level)) return;
            var text = e.Message?.ToString() ?? string.Empty;
            var cause = e.Cause;
            // A warning's cause is what an operator needs ("Restarting graph due to failure." says nothing by
            // itself), but its stack trace is noise on a line that is not an error: name it, unless the text does.
            if (level < Microsoft.Extensions.Logging.LogLevel.Error && cause is not null)
            {
                if (!text.Contains(cause.Message, StringComparison.Ordinal)) text = $"{text} Cause: {cause.GetType().Name}: {cause.Message}";
                cause = null;
            }
#pragma warning disable CA2254 // The text is already formatted by Akka; it is not a template.
            logger.Log(level, cause, text);
#pragma warning restore CA2254
        });
    }
}
