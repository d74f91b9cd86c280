// Async tasks awaited together run at the same time: three one-second fetches take about one second.
// Run it:  weir run examples/flows/fan_out.cs:fan-out --param "cities=[\"Oslo\",\"Lima\",\"Pune\"]"
using Weir;

public static class FanOut
{
    [Task(TimeoutSeconds = 10)]
    public static async Task<int> FetchTemperature(string city)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        var temperature = city.Sum(c => c) % 35;
        Console.WriteLine($"{city}: {temperature} °C");
        return temperature;
    }

    [Task]
    public static double Average(int[] values) => values.Average();

    [Flow("fan-out")]
    public static async Task<double> Run(string[]? cities = null)
    {
        cities ??= ["Oslo", "Lima", "Pune", "Kyiv"];
        var temperatures = await Task.WhenAll(cities.Select(FetchTemperature));
        return Average(temperatures);
    }
}
