using Microsoft.Extensions.Logging;

namespace Weir;

/// <summary>One log line from a run: from its logger or from what it wrote to the console.</summary>
/// <param name="FlowRunId">The flow run.</param>
/// <param name="TaskRunId">The task run, or null for lines written by the flow itself.</param>
/// <param name="Timestamp">When it was written.</param>
/// <param name="Level">Its level; console output is Information, standard error Warning.</param>
/// <param name="Source">The logger's category, or <c>stdout</c>/<c>stderr</c>.</param>
/// <param name="Message">The text, with any exception appended.</param>
internal sealed record LogRecord(Guid FlowRunId, Guid? TaskRunId, DateTimeOffset Timestamp, LogLevel Level, string Source, string Message);
