// A task that fails twice before it works: Weir retries it with a delay, and the run completes.
// Run it:  weir run examples/flows/retries.cs:flaky-download
using Microsoft.Extensions.Logging;
using Weir;

public static class Retries
{
    private static int s_attempts;

    [Task(Retries = 3, RetryDelaySeconds = 0.5)]
    public static string Download(string url)
    {
        s_attempts++;
        if (s_attempts < 3)
        {
            throw new HttpRequestException($"{url} answered 503 (attempt {s_attempts})");
        }

        return $"contents of {url}";
    }

    [Task]
    public static int CountWords(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    [Flow("flaky-download")]
    public static int FlakyDownload(string url = "https://example.invalid/report.csv")
    {
        var text = Download(url);
        var words = CountWords(text);
        RunContext.GetRunLogger().LogInformation("{Url} has {Words} words", url, words);
        return words;
    }
}
