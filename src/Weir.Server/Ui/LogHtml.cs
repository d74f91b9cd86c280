using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;

namespace Weir.Server.Ui;

/// <summary>
/// Log lines as HTML, written directly (every value encoded) rather than as components: a run page can carry
/// thousands of lines, and one string is many times cheaper to render than thousands of elements.
/// </summary>
public static class LogHtml
{
    /// <summary>The lines, each a <c>div.log</c> as the page's script also builds them.</summary>
    public static MarkupString Render(IEnumerable<LogDto> logs)
    {
        var html = new StringBuilder();
        var encoder = HtmlEncoder.Default;
        foreach (var log in logs)
        {
            html.Append("<div class=\"log level-").Append(encoder.Encode(log.Level.ToLowerInvariant())).Append("\"><span class=\"t\">")
                .Append(Fmt.Clock(log.Time)).Append("</span> <span class=\"lvl\">").Append(encoder.Encode(log.Level))
                .Append("</span> <span class=\"src\">").Append(encoder.Encode(log.Writer))
                .Append("</span> <span class=\"msg\">").Append(encoder.Encode(log.Message)).Append("</span></div>\n");
        }

        return new MarkupString(html.ToString());
    }
}
