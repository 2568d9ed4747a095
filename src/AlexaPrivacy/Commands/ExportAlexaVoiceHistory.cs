// Export-AlexaVoiceHistory: writes an account's voice history to a .csv (safe to open in a
// spreadsheet) or .json file, streaming records as the page delivers them.
using System;
using System.IO;
using System.Management.Automation;
using AlexaPrivacy.Execution;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsData.Export, "AlexaVoiceHistory", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportAlexaVoiceHistoryCommand : AlexaAccountCmdlet
    {
        /// <summary>The file to write; .csv or .json chooses the format.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter]
        public DateTime? After { get; set; }

        [Parameter]
        public DateTime? Before { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Device { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Contains { get; set; }

        private VoiceHistoryQuery _query;
        private VoiceHistoryFile _file;
        private bool _skip;

        protected override string Activity => "Exporting Alexa voice history";

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            string fullPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            try
            {
                _query = VoiceHistoryQuery.From(After, Before, Device, Contains);
                if (!ShouldProcess(fullPath, "Write the voice history"))
                {
                    _skip = true;
                    return;
                }
                _file = VoiceHistoryFile.Create(fullPath);
            }
            catch (AlexaException e)
            {
                ThrowTerminatingError(e.ToErrorRecord(Path));
            }
        }

        protected override void ProcessRecord()
        {
            if (_skip) return;
            var query = _query;
            var file = _file;
            Enqueue(async work =>
            {
                int count = await query.StreamAsync(work, int.MaxValue, file.Write);
                work.WriteVerbose($"Exported {count} voice record(s) of {work.Session.Account} to '{file.FullPath}'.");
            });
        }

        protected override void EndProcessing()
        {
            try
            {
                base.EndProcessing();
            }
            finally
            {
                _file?.Dispose();
            }
            if (_file != null) WriteObject(new FileInfo(_file.FullPath));
        }
    }
}
