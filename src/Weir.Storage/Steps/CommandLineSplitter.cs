using System.Text;

namespace Weir.Storage.Steps;

/// <summary>Splits one command line into words the way a POSIX shell would for quotes and backslashes (no globbing, no pipes).</summary>
public static class CommandLineSplitter
{
    /// <summary>The words of <paramref name="line"/>.</summary>
    public static IReadOnlyList<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            switch (c)
            {
                case ' ' or '\t':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    break;
                case '\'':
                    inWord = true;
                    var close = line.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new StepException($"a single quote opened at column {i + 1} is never closed.");
                    }

                    word.Append(line, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    inWord = true;
                    i++;
                    while (i < line.Length && line[i] != '"')
                    {
                        if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            i++;
                        }

                        word.Append(line[i]);
                        i++;
                    }

                    if (i >= line.Length)
                    {
                        throw new StepException("a double quote is never closed.");
                    }

                    break;
                case '\\' when i + 1 < line.Length:
                    inWord = true;
                    word.Append(line[++i]);
                    break;
                case '#' when !inWord:
                    i = line.Length;
                    break;
                default:
                    inWord = true;
                    word.Append(c);
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
