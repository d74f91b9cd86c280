namespace Weir;

/// <summary>The kinds of state a flow run or task run can be in.</summary>
public enum StateType
{
    /// <summary>Created to start at a later time.</summary>
    Scheduled,
    /// <summary>Ready to start.</summary>
    Pending,
    /// <summary>Executing.</summary>
    Running,
    /// <summary>Failed and waiting to run again.</summary>
    Retrying,
    /// <summary>Finished successfully.</summary>
    Completed,
    /// <summary>Finished with an error in user code.</summary>
    Failed,
    /// <summary>Ended by something outside user code: a killed process, a lost worker.</summary>
    Crashed,
    /// <summary>Asked to stop and not yet stopped.</summary>
    Cancelling,
    /// <summary>Stopped on request.</summary>
    Cancelled,
}
