namespace Weir.Engine;

internal static class Describe
{
    /// <summary>An exception as one line for a state message: its type and message.</summary>
    public static string Exception(Exception exception) => exception.GetType().Name + ": " + exception.Message;

    /// <summary>A duration the way people read it: 0.5 s, 2 s, 1.5 min.</summary>
    public static string Duration(TimeSpan duration) => duration.TotalSeconds < 90
        ? duration.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s"
        : duration.TotalMinutes.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " min";
}
