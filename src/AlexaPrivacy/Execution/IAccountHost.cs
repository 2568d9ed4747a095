// What the work on accounts needs from the command that runs it, and nothing more: the pipeline
// thread's writes and questions, the stop token and the audit log. The cmdlets' base implements it,
// so that nothing in Execution names a cmdlet.
using System.Management.Automation;
using System.Threading;

namespace AlexaPrivacy.Execution
{
    internal interface IAccountHost
    {
        /// <summary>Runs background work's writes on the pipeline thread.</summary>
        PipelineDispatcher Dispatcher { get; }

        /// <summary>Cancelled when the command stops (Ctrl+C, a stopped pipeline, an error that ends it).</summary>
        CancellationToken StopToken { get; }

        /// <summary>True once the user stopped the command (Ctrl+C).</summary>
        bool StoppedByUser { get; }

        /// <summary>The command's audit log; null when it has none.</summary>
        AuditLog AuditLog { get; }

        // The writes below are made on the pipeline thread only.
        void WriteObject(object value);

        void WriteError(ErrorRecord record);

        void WriteWarning(string text);

        void WriteProgress(ProgressRecord record);

        /// <summary>Writes verbose text from any thread.</summary>
        void WriteVerboseFromAnyThread(string text);

        /// <summary>ShouldProcess for <paramref name="action"/> on <paramref name="target"/>, explaining itself where no one can be asked.</summary>
        bool ShouldProcess(string target, string action);

        /// <summary>Asks before one change, as the command's -WhatIf, -Confirm, -Force and $ConfirmPreference say.</summary>
        bool ConfirmChange(string description, string query, string caption, bool deletes, bool force);

        /// <summary>Under -WhatIf, a "What if:" line for a change that is not needed.</summary>
        void ExplainNothingToDo(string text);
    }
}
