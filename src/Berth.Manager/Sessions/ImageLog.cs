using Microsoft.Extensions.Logging;

namespace Berth.Manager.Sessions;

internal static partial class ImageLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Built-in images in the catalog: {Names}.")]
    public static partial void Registered(ILogger logger, string names);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for built-in images (is Docker running?); sessions cannot start until an agent reaches Docker.")]
    public static partial void Unavailable(ILogger logger, Exception e);
}
