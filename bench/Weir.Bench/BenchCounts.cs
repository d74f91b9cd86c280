namespace Weir.Bench;

/// <summary>
/// How many runs, jobs and rounds the cases measure: the documented values, unless an environment variable
/// says otherwise. The override is for checking that a case works on a busy machine with small counts; a
/// section measured with one says so at its top, so such figures are never mistaken for the measurement.
/// </summary>
internal static class BenchCounts
{
    /// <summary>Runs in the throughput case, and jobs per round on the Hangfire and Quartz.NET side: <c>WEIR_BENCH_RUNS</c>, default 1,000.</summary>
    public static int Runs { get; } = Read("WEIR_BENCH_RUNS", 1000);

    /// <summary>Measured runs per worker in the pick-up case (after the warm-up ones): <c>WEIR_BENCH_PICKUP_RUNS</c>, default 50.</summary>
    public static int PickupRuns { get; } = Read("WEIR_BENCH_PICKUP_RUNS", 50);

    /// <summary>Rounds per Hangfire and Quartz.NET configuration: <c>WEIR_BENCH_ROUNDS</c>, default 3.</summary>
    public static int Rounds { get; } = Read("WEIR_BENCH_ROUNDS", 3);

    /// <summary>A line for the top of a section measured with overridden counts, else empty.</summary>
    public static string Warning { get; } = Overrides() is { Length: > 0 } set
        ? $"> **Not the measurement:** counts overridden ({set}); this only shows that the case runs.\n\n"
        : string.Empty;

    private static int Read(string name, int documented) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new InvalidOperationException($"{name} is '{text}'; give a whole number above 0, or unset it for the documented {documented}.")
            : documented;

    private static string Overrides() =>
        string.Join(", ", new[] { "WEIR_BENCH_RUNS", "WEIR_BENCH_PICKUP_RUNS", "WEIR_BENCH_ROUNDS" }
            .Where(n => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(n)))
            .Select(n => $"{n}={Environment.GetEnvironmentVariable(n)}"));
}
